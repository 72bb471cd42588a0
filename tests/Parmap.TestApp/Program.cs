using Parmap;

// A small app that the integration tests start as an owner process, to kill it (-9, SIGTERM) and check that its
// worker processes die with it, or to replace its build on disk while it runs. Modes:
//   busy N   stream over endless slow items on N worker processes; print "PID p" per worker, then "READY"
//   idle N   start a pool of N workers, run one map, print "PID p" per worker and "READY", then sleep
//   wait     print "WAITING", read one line, then map 10 items on 2 workers and print "SUM s" or "ERROR message"
var mode = args.Length > 0 ? args[0] : "wait";
var workers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
var options = new ParOptions { Executor = ExecutorOptions.Processes, Workers = workers, BatchSize = 1 };
switch (mode)
{
    case "busy":
        {
            var seen = new HashSet<int>();
            await foreach (var pid in Par.Stream(Enumerable.Range(0, int.MaxValue), Work.SlowPid, options))
            {
                if (seen.Add(pid))
                {
                    Console.WriteLine($"PID {pid}");
                    if (seen.Count == workers)
                    {
                        Console.WriteLine("READY");
                    }
                }
            }
            break;
        }
    case "idle":
        {
            await using var pool = Pool.Start(options);
            var pids = await pool.Map(Enumerable.Range(0, 20 * workers), Work.SlowPid);
            foreach (var pid in pids.Distinct())
            {
                Console.WriteLine($"PID {pid}");
            }
            Console.WriteLine("READY");
            await Task.Delay(Timeout.Infinite);
            break;
        }
    case "wait":
        {
            Console.WriteLine("WAITING");
            _ = Console.ReadLine();
            try
            {
                var squares = await Par.Map(Enumerable.Range(0, 10), Work.Square, options);
                Console.WriteLine($"SUM {squares.Sum()}");
            }
            catch (WorkerStartException e)
            {
                Console.WriteLine($"ERROR {e.Message.ReplaceLineEndings(" ")}");
                return 3;
            }
            break;
        }
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}
return 0;

internal static class Work
{
    public static int SlowPid(int x)
    {
        Thread.Sleep(20);
        return Environment.ProcessId;
    }

    public static int Square(int x) => x * x;
}
