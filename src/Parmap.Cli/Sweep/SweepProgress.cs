using System.Globalization;

using Spectre.Console;

namespace Parmap.Cli.Sweep;

/// <summary>
/// The counts of a running sweep and how they are shown on standard error: a live bar (done/total, failures, rate,
/// ETA, achieved speedup) when standard error is a terminal, otherwise a plain line every few seconds and one at the end.
/// Achieved speedup = the items' summed run time / wall time (what running them one after the other would have taken).
/// </summary>
internal sealed class SweepProgress(long total, IAnsiConsole console, bool live, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private long _done;
    private long _failed;
    private long _resumed;
    private double _itemSeconds;
    private long? _ended;

    public long Done => _done;

    public long Failed => _failed;

    public long Resumed => _resumed;

    public double ItemSeconds => _itemSeconds;

    /// <summary>Wall time of the run: until now while it runs, then frozen at its end (so that every line and the summary agree).</summary>
    public TimeSpan Elapsed => _ended is { } end ? TimeProvider.System.GetElapsedTime(_started, end) : TimeProvider.System.GetElapsedTime(_started);

    /// <summary>The achieved speedup so far: items' run time over wall time (0 before anything ran).</summary>
    public double Speedup => Elapsed.TotalSeconds > 0 ? _itemSeconds / Elapsed.TotalSeconds : 0;

    /// <summary>Counts one finished item and its run time, or one taken from the journal of an earlier run.</summary>
    public void Finished(bool failed, double seconds, bool resumed)
    {
        lock (_lock)
        {
            if (resumed)
            {
                _resumed++;
                return;
            }
            _ = failed ? ++_failed : ++_done;
            _itemSeconds += seconds;
        }
    }

    /// <summary>Writes an item's output through the live display (so the bar stays below it), or straight to the writers.</summary>
    public void WriteItemOutput(string stdout, string stderr)
    {
        if (live)
        {
            lock (_lock)
            {
                if (stdout.Length > 0)
                {
                    console.Write(new Text(stdout));
                }
                if (stderr.Length > 0)
                {
                    console.Write(new Text(stderr));
                }
            }
            return;
        }
        Console.Out.Write(stdout);
        Console.Out.Flush();
        Console.Error.Write(stderr);
    }

    /// <summary>Runs <paramref name="body"/> with the progress shown until it ends.</summary>
    public async Task<T> ShowAsync<T>(Func<Task<T>> body)
    {
        async Task<T> Timed()
        {
            try
            {
                return await body();
            }
            finally
            {
                _ended = TimeProvider.System.GetTimestamp();
            }
        }
        if (live)
        {
            return await console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Line(), maxValue: Math.Max(1, total));
                    void Show()
                    {
                        task.Value = Counted;
                        task.Description = Markup.Escape(Line());
                    }
                    using var timer = TimeProvider.System.CreateTimer(_ => Show(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
                    try
                    {
                        return await Timed();
                    }
                    finally
                    {
                        Show();
                    }
                });
        }
        if (interval == Timeout.InfiniteTimeSpan)
        {
            return await Timed();
        }
        using var plain = TimeProvider.System.CreateTimer(_ => PlainLine(), null, interval, interval);
        try
        {
            return await Timed();
        }
        finally
        {
            // A run refused before its first item (a journal of another run) shows no progress at all.
            if (Counted > 0)
            {
                PlainLine();
            }
        }
    }

    /// <summary>Items finished so far, resumed ones included.</summary>
    private long Counted => _resumed + _done + _failed;

    private void PlainLine()
    {
        lock (_lock)
        {
            Console.Error.WriteLine("parmap: " + Line());
        }
    }

    /// <summary>One line: "120/1,000 done, 2 failed, 3 resumed, 35.2 items/s, ETA 0:00:25, speedup 1.93x".</summary>
    public string Line()
    {
        var inv = CultureInfo.InvariantCulture;
        var finished = _done + _failed;
        var seconds = Elapsed.TotalSeconds;
        var rate = seconds > 0 ? finished / seconds : 0;
        var resumed = _resumed;
        var left = total - resumed - finished;
        var eta = rate > 0 && left > 0 ? TimeSpan.FromSeconds(left / rate) : (TimeSpan?)null;
        var text = string.Create(inv, $"{resumed + finished:N0}/{total:N0} done, {_failed:N0} failed");
        if (resumed > 0)
        {
            text += string.Create(inv, $", {resumed:N0} resumed");
        }
        text += string.Create(inv, $", {rate:0.##} items/s");
        if (eta is { } e)
        {
            text += string.Create(inv, $", ETA {(int)e.TotalHours}:{e.Minutes:00}:{e.Seconds:00}");
        }
        return text + string.Create(inv, $", speedup {Speedup:0.00}x");
    }
}
