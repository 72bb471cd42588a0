using System.Globalization;

using Spectre.Console;

namespace Parmap.Cli.Sweep;

/// <summary>The table printed (on standard error) when a sweep ends: counts, times, the achieved speedup, and the failures.</summary>
internal static class SweepSummary
{
    private const int FailuresShown = 10;

    public static void Write(IAnsiConsole console, SweepSettings s, SweepProgress progress, IReadOnlyList<ResultRow> failures, int notRun, bool halted, string? interrupted)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().Title("parmap run").AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        table.AddRow("items", s.Inputs.Rows.Count.ToString("N0", inv));
        table.AddRow("succeeded", progress.Done.ToString("N0", inv));
        table.AddRow("failed", failures.Count.ToString("N0", inv));
        if (progress.Resumed > 0)
        {
            table.AddRow("taken from the journal", progress.Resumed.ToString("N0", inv));
        }
        if (notRun > 0)
        {
            table.AddRow("not run", notRun.ToString("N0", inv));
        }
        table.AddRow("job slots", s.Jobs?.ToString(inv) ?? "the cluster nodes' cores");
        if (Par.LastReport?.ItemsByWorker is { Count: > 0 } byWorker && s.Jobs is null)
        {
            foreach (var (worker, count) in byWorker)
            {
                table.AddRow(Markup.Escape($"items on {worker}"), count.ToString("N0", inv));
            }
        }
        table.AddRow("wall time", Seconds(progress.Elapsed.TotalSeconds));
        table.AddRow("items' run time", Seconds(progress.ItemSeconds));
        table.AddRow("achieved speedup", string.Create(inv, $"{progress.Speedup:0.00}x (items' run time / wall time)"));
        console.Write(table);
        foreach (var f in failures.Take(FailuresShown))
        {
            var inputs = string.Join(", ", s.Inputs.Names.Select((n, i) => $"{n}={f.Values[i]}"));
            var tail = f.Run?.StderrTail(1) is { Length: > 0 } line ? $" | stderr: {line}" : "";
            console.Write(new Text($"failed: item {f.Number} ({inputs}): {f.Error}{tail}\n"));
        }
        if (failures.Count > FailuresShown)
        {
            console.Write(new Text($"... and {failures.Count - FailuresShown:N0} more failures{(s.Results is null ? "" : $" (all in {s.Results})")}\n"));
        }
        if (halted)
        {
            console.Write(new Text("Stopped at the first failure (--halt-on-error); running items were stopped and their programs killed.\n"));
        }
        if (interrupted is not null)
        {
            console.Write(new Text(s.Journal is null
                ? "Interrupted: the running items finished; the rest did not run. Add --journal FILE to be able to resume a run.\n"
                : $"Interrupted: everything that finished is saved in {s.Journal}. Run the same command again with --resume to go on.\n"));
        }
        if (s.Results is not null)
        {
            console.Write(new Text($"results: {s.Results}\n"));
        }
    }

    private static string Seconds(double seconds) =>
        seconds < 120 ? seconds.ToString("0.00 s", CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(Math.Round(seconds)).ToString("c", CultureInfo.InvariantCulture);
}
