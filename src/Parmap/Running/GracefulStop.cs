using System.Globalization;

namespace Parmap.Running;

/// <summary>
/// A graceful stop for one run: <see cref="Drain"/> (take no new items; the batches already taken finish) and, a grace
/// period later, <see cref="HardStop"/> (the run's token reaches the functions). Triggered by the first Ctrl-C or SIGTERM
/// when the run handles interrupts, or by the run itself (a journal that cannot be written).
/// </summary>
internal sealed class GracefulStop : IDisposable
{
    private readonly CancellationTokenSource _drain = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly Lock _lock = new();
    private readonly TimeSpan _grace;
    private readonly TimeProvider _time;
    private readonly string? _journal;
    private IDisposable? _interrupts;
    private ITimer? _graceTimer;
    private bool _ended;

    /// <summary>Creates the stop of a run; it listens to Ctrl-C and SIGTERM when <paramref name="options"/> say the run handles them.</summary>
    /// <param name="options">The run's options.</param>
    public GracefulStop(ParOptions options)
    {
        _grace = options.InterruptGracePeriod;
        _time = options.TimeProvider;
        _journal = options.Journal is { } path ? System.IO.Path.GetFullPath(path) : null;
        if (options.HandleInterrupts ?? options.Journal is not null)
        {
            _interrupts = InterruptWatch.Register(OnInterrupt);
        }
    }

    /// <summary>Cancelled on the first interrupt, and when the run drains itself: take no new items.</summary>
    public CancellationToken Drain => _drain.Token;

    /// <summary>Cancelled once the grace period after an interrupt has passed: stop the running items.</summary>
    public CancellationToken HardStop => _hardStop.Token;

    /// <summary>The interrupt received ("SIGINT", "SIGTERM"), or null.</summary>
    public string? Signal { get; private set; }

    /// <summary>Stops taking new items (without a signal): the run cannot go on usefully, but what runs may finish.</summary>
    public void DrainNow() => Cancel(_drain);

    /// <summary>The run has ended: later signals get the default handling.</summary>
    public void End()
    {
        lock (_lock)
        {
            _ended = true;
            _interrupts?.Dispose();
            _interrupts = null;
            _graceTimer?.Dispose();
            _graceTimer = null;
        }
    }

    /// <summary>For a run without a journal that an interrupt stopped early: the exception that says so.</summary>
    public RunInterruptedException? Interrupted(RunReport report)
    {
        if (Signal is not { } signal || _journal is not null || !report.Stopped)
        {
            return null;
        }
        var message = string.Create(CultureInfo.InvariantCulture,
            $"The run was interrupted by {signal} after {report.Succeeded + report.Failed:N0} items; it had no journal, so their results are lost. Set ParOptions.Journal to a file path to make a run resumable.");
        return new RunInterruptedException(null, signal, 0, null, CommandLine.Current(), message);
    }

    public void Dispose()
    {
        End();
        _drain.Dispose();
        _hardStop.Dispose();
    }

    private void OnInterrupt(string signal)
    {
        lock (_lock)
        {
            if (Signal is not null || _ended)
            {
                return;
            }
            Signal = signal;
            var saving = _journal is null ? "" : $" and saving the journal '{_journal}'";
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Parmap: {signal} received: finishing the running items (up to {_grace.TotalSeconds:0.#} s){saving}. Press Ctrl-C again to stop at once."));
            Cancel(_drain);
            _graceTimer = _time.CreateTimer(_ => Cancel(_hardStop), null, _grace, Timeout.InfiniteTimeSpan);
        }
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
