using System.Globalization;

using Parmap;

// Runs a journaled map of `count` items and prints the results. Every computed input is appended to the --log file
// (one line each, written straight to the OS) so that a test can tell which items a run computed.
//   --journal PATH --count N [--log PATH] [--out PATH] [--sleep-ms MS] [--workers W] [--grace-ms MS]
//   [--variant K] [--setting N] [--payload BYTES] [--fail-at I] [--stream] [--lazy] [--reuse] [--retry-failed] [--cancellable] [--processes] [--started PATH]
//   [--log-times] (each log line is "input timestamp": Stopwatch.GetTimestamp() when the item finished, comparable across processes)
// Exit codes: 0 done, 130/143 interrupted by SIGINT/SIGTERM, 2 mismatch, 3 locked, 4 write error, 5 unreadable, 6 item failed.
var options = Options.Parse(args);
// Always a StreamWriter (over Stream.Null without --log): the function's identity counts the captured writer by its type,
// so a run with a log and one without run the same function.
using var log = options.Log is null ? new StreamWriter(Stream.Null) : new StreamWriter(new FileStream(options.Log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
// --lazy: the inputs are an iterator of unknown length (a streamed input), not a list.
IEnumerable<int> inputs = options.Lazy ? Lazy(options.Count) : Enumerable.Range(0, options.Count).ToArray();
var par = new ParOptions
{
    Journal = options.Journal,
    Workers = options.Workers,
    InterruptGracePeriod = TimeSpan.FromMilliseconds(options.GraceMs),
    JournalMismatch = options.Reuse ? JournalMismatch.ReuseMatching : JournalMismatch.Fail,
    RetryFailedOnResume = options.RetryFailed,
    BatchSize = options.BatchSize,
    Executor = options.Processes ? ExecutorOptions.Processes : ExecutorOptions.Threads,
};
var work = new Work(options.Variant, options.SleepMs, options.Payload, options.FailAt, options.Cancellable);
var logger = new Logger(log, options.LogTimes);
// Worker processes cannot share the owner's open log; they append to the log file themselves, named by an environment
// variable that they inherit (a captured path would be part of the function's identity, and differs between runs).
Environment.SetEnvironmentVariable(FileLog.Variable, options.Log);
// Items mark their start in this file (read at run time, so not part of the function's identity).
Environment.SetEnvironmentVariable(Work.StartedVariable, options.Started);
// A setting the program reads once, into a static readonly field (see Setting).
Environment.SetEnvironmentVariable(Setting.Variable, options.Setting.ToString(CultureInfo.InvariantCulture));

try
{
    string[] results;
    if (options.Stream)
    {
        var list = new List<string>();
        await foreach (var y in Par.Stream(inputs, (x, ct) => logger.Logged(x, work.Run(x, ct)), par))
        {
            list.Add(y);
        }
        results = [.. list];
    }
    else
    {
        results = options.Processes
            ? await Par.Map(inputs, (x, ct) => FileLog.Logged(x, work.Run(x, ct)), par)
            : await Par.Map(inputs, (x, ct) => logger.Logged(x, work.Run(x, ct)), par);
    }
    if (options.Out is { } output)
    {
        await File.WriteAllLinesAsync(output, results);
    }
    Console.WriteLine($"done {results.Length}; {Par.LastReport}");
    return 0;
}
catch (RunInterruptedException e)
{
    Console.Error.WriteLine(e.Message);
    return e.Signal == "SIGTERM" ? 143 : 130;
}
catch (JournalException e)
{
    Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    return e switch
    {
        JournalMismatchException => 2,
        JournalLockedException => 3,
        JournalWriteException => 4,
        JournalUnreadableException => 5,
        _ => 1,
    };
}
catch (ItemFailedException e)
{
    Console.Error.WriteLine(e.Message);
    return 6;
}

static IEnumerable<int> Lazy(int count)
{
    for (var i = 0; i < count; i++)
    {
        yield return i;
    }
}

/// <summary>Appends computed inputs to the log. Its only field is of a framework type, which a function's identity counts by type: runs with different logs run the same function.</summary>
internal sealed class Logger(StreamWriter log, bool times)
{
    public string Logged(int x, string y)
    {
        lock (log)
        {
            log.WriteLine(times
                ? string.Create(CultureInfo.InvariantCulture, $"{x} {System.Diagnostics.Stopwatch.GetTimestamp()}")
                : x.ToString(CultureInfo.InvariantCulture));
        }
        return y;
    }
}

/// <summary>Appends computed inputs to a log file per process (PATH.pid), from worker processes.</summary>
internal static class FileLog
{
    public const string Variable = "PARMAP_JOURNAL_APP_LOG";

    public static string Logged(int x, string y)
    {
        // One file per process: appends from several processes to one file can overwrite each other.
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path)
        {
            File.AppendAllText($"{path}.{Environment.ProcessId}", x.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        return y;
    }
}

/// <summary>The item function: deterministic in x; its settings are captured values, so they are part of its identity.</summary>
internal sealed record Work(int Variant, int SleepMs, int Payload, int FailAt, bool Cancellable)
{
    public const string StartedVariable = "PARMAP_JOURNAL_APP_STARTED";

    public string Run(int x, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable(StartedVariable) is { Length: > 0 } started)
        {
            File.AppendAllText($"{started}.{Environment.ProcessId}.{x}", "");
        }
        if (Cancellable)
        {
            Task.Delay(SleepMs, ct).GetAwaiter().GetResult();
        }
        else if (SleepMs > 0)
        {
            Thread.Sleep(SleepMs);
        }
        return Result(x);
    }

    private string Result(int x)
    {
        if (x == FailAt)
        {
            throw new InvalidOperationException($"item {x} fails on purpose");
        }
        var h = (ulong)x;
        for (var k = 0; k < 64 + Variant + Setting.Rounds; k++)
        {
            h = unchecked((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL + 0x9E3779B97F4A7C15UL);
        }
        var text = h.ToString(CultureInfo.InvariantCulture);
        return Payload > 0 ? text + ":" + new string((char)('a' + (x % 26)), Payload) : text;
    }
}

/// <summary>A setting in a static readonly field, read once from the environment: part of the function's identity by value.</summary>
internal static class Setting
{
    public const string Variable = "PARMAP_JOURNAL_APP_SETTING";

    public static readonly int Rounds = int.Parse(Environment.GetEnvironmentVariable(Variable) ?? "0", CultureInfo.InvariantCulture);
}

internal sealed record Options(string Journal, int Count, string? Log, string? Out, int SleepMs, int? Workers, int GraceMs, int Variant,
    int Payload, int FailAt, bool Stream, bool Reuse, bool RetryFailed, bool Cancellable, int? BatchSize, bool Processes, string? Started, int Setting, bool LogTimes, bool Lazy)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>();
        var flags = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                map[args[i]] = args[++i];
            }
            else
            {
                flags.Add(args[i]);
            }
        }
        int Int(string name, int fallback) => map.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(map["--journal"], Int("--count", 1000), map.GetValueOrDefault("--log"), map.GetValueOrDefault("--out"),
            Int("--sleep-ms", 0), map.ContainsKey("--workers") ? Int("--workers", 2) : null, Int("--grace-ms", 10_000), Int("--variant", 0),
            Int("--payload", 0), Int("--fail-at", -1), flags.Contains("--stream"), flags.Contains("--reuse"), flags.Contains("--retry-failed"),
            flags.Contains("--cancellable"), map.ContainsKey("--batch") ? Int("--batch", 1) : null, flags.Contains("--processes"), map.GetValueOrDefault("--started"),
            Int("--setting", 0), flags.Contains("--log-times"), flags.Contains("--lazy"));
    }
}
