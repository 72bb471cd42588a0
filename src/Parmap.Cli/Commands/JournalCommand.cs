using System.CommandLine;
using System.Globalization;

using Parmap.Cli.Sweep;

using Spectre.Console;

namespace Parmap.Cli.Commands;

/// <summary><c>parmap journal FILE</c>: what a run's journal holds (counts, runs, failures with their inputs and stderr), and its export.</summary>
internal static class JournalCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("journal") { Description = "The journal file of a 'parmap run --journal FILE'." };
        var export = new Option<string?>("--export", "-o") { Description = "Write its results table (as 'parmap run --results' does) to this .csv or .parquet file.", HelpName = "file" };
        var failures = new Option<int>("--failures") { Description = "Failures to list.", DefaultValueFactory = _ => 20, HelpName = "N" };
        var command = new Command("journal", "Show what a run's journal holds: counts, runs, failures with their inputs and standard error; export its results.") { file, export, failures };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var console = AnsiConsole.Console;
            Journal journal;
            try
            {
                journal = File.Exists(path) ? Journal.Open(path) : throw new UsageException($"no journal at '{path}'.");
            }
            catch (Exception e) when (e is UsageException or JournalException)
            {
                await Console.Error.WriteLineAsync($"parmap journal: {e.Message}");
                return 2;
            }
            var rows = Rows(journal, out var names);
            Show(console, journal, rows, names, parse.GetValue(failures));
            if (parse.GetValue(export) is { } target)
            {
                try
                {
                    ResultsTable.CheckWritable(target);
                }
                catch (UsageException e)
                {
                    await Console.Error.WriteLineAsync($"parmap journal: {e.Message.Replace("--results", "--export", StringComparison.Ordinal)}");
                    return 2;
                }
                await ResultsTable.WriteAsync(target, names, rows, 5, cancellationToken);
                console.WriteLine($"exported {rows.Count:N0} rows to {target}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The results table a journal holds: its values and its failures (with the run each failure recorded).</summary>
    internal static List<ResultRow> Rows(Journal journal, out string[] names)
    {
        var rows = new List<ResultRow>();
        string[]? seen = null;
        foreach (var (index, run) in journal.Results<ItemRun>())
        {
            seen ??= run.Names;
            rows.Add(new ResultRow(index + 1, run.Values, run, null, 1));
        }
        foreach (var f in journal.Failures)
        {
            var run = ProgramFailedException.FromDetails(f.Details);
            seen ??= run?.Names;
            rows.Add(new ResultRow(f.Index + 1, run?.Values ?? [], run, f.Message, f.Attempts));
        }
        names = seen ?? [];
        var width = names.Length;
        rows = [.. rows.Where(r => r.Values.Length == width)];
        return rows;
    }

    private static void Show(IAnsiConsole console, Journal journal, List<ResultRow> rows, string[] names, int shown)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().Title(Markup.Escape(journal.Path)).AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        table.AddRow("items", journal.TotalKnown ? journal.Total.ToString("N0", inv) : "unknown");
        table.AddRow("succeeded", journal.Done.ToString("N0", inv));
        table.AddRow("failed", journal.Failed.ToString("N0", inv));
        table.AddRow("pending", journal.TotalKnown ? journal.Pending.ToString("N0", inv) : "unknown");
        table.AddRow("complete", journal.IsComplete ? "yes" : "no");
        table.AddRow("inputs", Markup.Escape(string.Join(", ", names)));
        console.Write(table);
        var runs = new Table().Title("runs").AddColumns("started", "ended", "outcome", "ran", "failed", "taken from journal");
        foreach (var r in journal.Runs)
        {
            runs.AddRow(r.Started.ToString("u", inv), r.Ended?.ToString("u", inv) ?? "-", Markup.Escape(r.Outcome), r.Computed.ToString("N0", inv), r.Failed.ToString("N0", inv), r.Resumed.ToString("N0", inv));
        }
        console.Write(runs);
        foreach (var f in rows.Where(r => r.Error is not null).OrderBy(r => r.Number).Take(shown))
        {
            var inputs = string.Join(", ", names.Select((n, i) => $"{n}={f.Values[i]}"));
            console.Write(new Text($"failed: item {f.Number} ({inputs}) after {f.Attempts} attempt(s): {f.Error}\n"));
            if (f.Run?.StderrTail(5) is { Length: > 0 } tail)
            {
                console.Write(new Text("  stderr: " + tail.Replace("\n", "\n          ", StringComparison.Ordinal) + "\n"));
            }
        }
    }
}
