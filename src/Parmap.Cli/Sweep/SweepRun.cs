using Parmap.Cli.Inputs;

using Spectre.Console;

namespace Parmap.Cli.Sweep;

/// <summary>Everything <c>parmap run</c> was asked to do, checked.</summary>
internal sealed record SweepSettings(
    RunSpec Spec,
    InputTable Inputs,
    int? Jobs,
    ExecutorOptions Executor,
    string? Journal,
    bool RetryFailed,
    int Retries,
    bool HaltOnError,
    bool KeepOrder,
    string? Results,
    bool PrintOutput,
    bool Live,
    TimeSpan ProgressInterval);

/// <summary>
/// Runs a sweep: every item on the library's thread executor (one worker thread per job slot, each waiting on its
/// program), with the journal, retries, interrupts and ordering of <see cref="Par.StreamOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, CancellationToken, TOut}, ParOptions?, CancellationToken)"/>;
/// prints each item's output as one block when it ends, shows progress, writes the results file and a summary.
/// </summary>
internal static class SweepRun
{
    /// <summary>Runs the sweep and returns the exit code: 0 when every item succeeded, 1 when some failed, 130 when interrupted.</summary>
    public static async Task<int> RunAsync(SweepSettings s, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var items = s.Inputs.Rows.Select((values, i) => new SweepItem(i + 1, values)).ToList();
        var spec = s.Spec;
        var progress = new SweepProgress(items.Count, console, s.Live, s.ProgressInterval);
        var options = new ParOptions
        {
            Workers = s.Jobs,
            Executor = s.Executor,
            Retries = s.Retries,
            Order = s.KeepOrder ? ResultOrder.Input : ResultOrder.Completion,
            Journal = s.Journal,
            RetryFailedOnResume = s.RetryFailed,
            HandleInterrupts = true,
            // A program per item costs milliseconds at least: batches of one keep every slot busy to the last item and
            // let Ctrl-C stop between items.
            BatchSize = 1,
        };
        var rows = new List<ResultRow>(items.Count);
        var failures = new List<ResultRow>();
        _ = ItemRunner.Groups; // the watchdog first: a program must never start without it
        var started = TimeProvider.System.GetUtcNow();
        var halted = false;
        string? interrupted = null;
        try
        {
            await progress.ShowAsync(async () =>
            {
                await foreach (var outcome in Par.StreamOutcomes(items, (SweepItem item, CancellationToken ct) => ItemRunner.Run(spec, item, ct), options, cancellationToken))
                {
                    var item = items[(int)outcome.Index];
                    var row = Row(item, outcome);
                    rows.Add(row);
                    var resumed = IsResumed(s, item, outcome, started);
                    progress.Finished(row.Error is not null, row.Run?.Seconds ?? 0, resumed);
                    if (s.PrintOutput && !resumed && row.Run is { } run)
                    {
                        progress.WriteItemOutput(run.Stdout, run.Stderr);
                    }
                    if (row.Error is not null)
                    {
                        failures.Add(row);
                        if (s.HaltOnError && !resumed)
                        {
                            halted = true;
                            break;
                        }
                    }
                }
                return 0;
            });
        }
        catch (RunInterruptedException e)
        {
            interrupted = e.Message;
        }
        finally
        {
            ItemRunner.StopGroups();
        }
        if (s.Results is { } path && rows.Count > 0)
        {
            await ResultsTable.WriteAsync(path, s.Inputs.Names, rows, spec.StderrTailLines, CancellationToken.None);
        }
        SweepSummary.Write(console, s, progress, failures, items.Count - rows.Count, halted, interrupted);
        return interrupted is not null ? 130 : failures.Count > 0 || halted ? 1 : 0;
    }

    /// <summary>
    /// Whether an outcome was taken from the journal of an earlier run rather than run now: a recorded failure always; a
    /// value when this process did not run the item, or, on a cluster (the nodes ran it), when it ended before this run
    /// started by the node's clock (a second of slack for clocks that differ).
    /// </summary>
    private static bool IsResumed(SweepSettings s, SweepItem item, Outcome<ItemRun> outcome, DateTimeOffset started)
    {
        if (s.Journal is null)
        {
            return false;
        }
        if (!outcome.Succeeded)
        {
            return outcome.Error?.InnerException is RecordedFailureException;
        }
        return s.Jobs is null ? outcome.Value.Finished < started - TimeSpan.FromSeconds(1) : !ItemRunner.Ran.ContainsKey(item.Number);
    }

    private static ResultRow Row(SweepItem item, Outcome<ItemRun> outcome)
    {
        if (outcome.Succeeded)
        {
            return new ResultRow(item.Number, item.Values, outcome.Value, null, ItemRunner.Ran.GetValueOrDefault(item.Number, 1));
        }
        var error = outcome.Error!;
        var inner = error.InnerException;
        return inner switch
        {
            ProgramFailedException p => new ResultRow(item.Number, item.Values, p.Run, p.Message, error.Attempts),
            RecordedFailureException r => new ResultRow(item.Number, item.Values, ProgramFailedException.FromDetails(r.Details), r.ErrorMessage, error.Attempts),
            _ => new ResultRow(item.Number, item.Values, null, inner?.Message ?? error.Message, error.Attempts),
        };
    }
}
