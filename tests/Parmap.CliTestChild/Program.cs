// The child program of the parmap command tests. The first argument says what to do:
//   argv ARGS...            print each argument's UTF-8 bytes in hex, one per line (what exactly arrived)
//   number X                print X
//   json A B                print {"sum": A+B, "label": "A/B"}
//   fail CODE MESSAGE       write MESSAGE to stderr, exit with CODE
//   sleep SECONDS           sleep, then print "slept"
//   spawn MARKER SECONDS    start a grandchild (sleep SECONDS, with MARKER in its argv), then sleep SECONDS itself
//   env NAME                print the environment variable NAME
//   log FILE N MS           append "N\n" to FILE when done after MS milliseconds of work, print N
//   burn MS                 spin a core for MS milliseconds, print MS
using System.Diagnostics;
using System.Globalization;
using System.Text;

var inv = CultureInfo.InvariantCulture;
switch (args[0])
{
    case "argv":
        foreach (var a in args.Skip(1))
        {
            Console.WriteLine(Convert.ToHexString(Encoding.UTF8.GetBytes(a)));
        }
        return 0;
    case "number":
        Console.WriteLine(args[1]);
        return 0;
    case "json":
        var sum = double.Parse(args[1], inv) + double.Parse(args[2], inv);
        Console.WriteLine($"{{\"sum\": {sum.ToString("R", inv)}, \"label\": \"{args[1]}/{args[2]}\"}}");
        return 0;
    case "fail":
        Console.Error.WriteLine(args[2]);
        return int.Parse(args[1], inv);
    case "sleep":
        Thread.Sleep(TimeSpan.FromSeconds(double.Parse(args[1], inv)));
        Console.WriteLine("slept");
        return 0;
    case "spawn":
        using (var grandchild = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"sleep {args[2]}; : {args[1]}"]) { UseShellExecute = false }))
        {
            Thread.Sleep(TimeSpan.FromSeconds(double.Parse(args[2], inv)));
        }
        return 0;
    case "env":
        Console.WriteLine(Environment.GetEnvironmentVariable(args[1]) ?? "<unset>");
        return 0;
    case "log":
        var until = Stopwatch.GetTimestamp() + (long)(double.Parse(args[3], inv) / 1000 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
        }
        // Several children append at once: FileShare.None takes an exclusive lock (flock) on the file, so whole lines
        // go in one after the other (File.AppendAllText seeks to the end and writes: two writers can overwrite each other).
        var line = Encoding.UTF8.GetBytes(args[2] + "\n");
        while (true)
        {
            try
            {
                using var log = new FileStream(args[1], FileMode.Append, FileAccess.Write, FileShare.None);
                log.Write(line);
                break;
            }
            catch (IOException)
            {
                Thread.Sleep(1);
            }
        }
        Console.WriteLine(args[2]);
        return 0;
    case "burn":
        var end = Stopwatch.GetTimestamp() + (long)(double.Parse(args[1], inv) / 1000 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
        }
        Console.WriteLine(args[1]);
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 64;
}
