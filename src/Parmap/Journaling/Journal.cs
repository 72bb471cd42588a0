using System.Globalization;

using Parmap.Journaling;

namespace Parmap;

/// <summary>
/// What a journal holds: counts (done, failed, pending), the failures with their inputs and errors, the runs that wrote
/// it (when, by which process, how they ended), the function it is for, the grid of a grid sweep; and its results,
/// typed or as CSV and Parquet tables.
/// <code>
/// var journal = Journal.Open("sweep.db");
/// Console.WriteLine(journal);                 // summary
/// foreach (var f in journal.Failures) Console.WriteLine($"{f.Index} {f.Input}: {f.Message}");
/// journal.ExportCsv("sweep.csv");
/// </code>
/// </summary>
/// <remarks>
/// Opening reads a snapshot, read-only and without taking the journal's lock: a journal can be inspected while a run
/// writes it. The counts are those of the journal's current generation (its latest function and input list).
/// </remarks>
public sealed partial class Journal
{
    private Journal(string path)
    {
        Path = path;
    }

    /// <summary>Full path of the journal file.</summary>
    public string Path { get; }

    /// <summary>Format version of the file.</summary>
    public int FormatVersion { get; private init; }

    /// <summary>Readable name of the function the journal records (declaring type and method).</summary>
    public string FunctionName { get; private init; } = "";

    /// <summary>The function's identity: changes when its code or a value it captured changes.</summary>
    public string FunctionIdentity { get; private init; } = "";

    /// <summary>Full name of the input type.</summary>
    public string InputType { get; private init; } = "";

    /// <summary>Full name of the result type.</summary>
    public string OutputType { get; private init; } = "";

    /// <summary>
    /// Number of inputs of the map. For a map over a lazy sequence of unknown length (a streamed input, see
    /// <see cref="TotalKnown"/>) it is the number of items recorded so far.
    /// </summary>
    public long Total => TotalKnown ? _total : Done + Failed;

    /// <summary>
    /// False when the map's input was a lazy sequence whose length was not known (an endless one, for example): the
    /// journal then knows only the items it recorded, <see cref="Pending"/> is 0, and <see cref="IsComplete"/> says
    /// whether the last run read its input to the end.
    /// </summary>
    public bool TotalKnown => _total >= 0;

    private long _total;

    /// <summary>Items whose value is recorded.</summary>
    public long Done { get; private init; }

    /// <summary>Items whose failure is recorded.</summary>
    public long Failed { get; private init; }

    /// <summary>Items not recorded yet: what a resumed run computes.</summary>
    public long Pending => Math.Max(0, Total - Done - Failed);

    /// <summary>True when the journal is complete: every item has a value or a failure.</summary>
    public bool IsComplete => TotalKnown ? Pending == 0 : Runs.Count > 0 && Runs[^1].Outcome.StartsWith("finished", StringComparison.Ordinal);

    /// <summary>True when a map was writing the journal at the time it was opened.</summary>
    public bool IsRunning { get; private init; }

    /// <summary>Times the journal's function or inputs changed and matching results were reused (0 for a journal of one map).</summary>
    public int Changes { get; private init; }

    /// <summary>Every run that wrote the journal, oldest first.</summary>
    public IReadOnlyList<JournalRun> Runs { get; private init; } = [];

    /// <summary>The recorded failures, in input order.</summary>
    public IReadOnlyList<JournalFailure> Failures { get; private init; } = [];

    /// <summary>When the first run started, if any.</summary>
    public DateTimeOffset? FirstStarted => Runs.Count > 0 ? Runs[0].Started : null;

    /// <summary>
    /// The grid of a grid sweep (<c>Par.Map</c> over a <see cref="Parmap.Grid{TPoint}"/>) as recorded: its axes, with their
    /// names and values; null for other maps. Item <c>i</c> of the journal is the grid's point <c>i</c>.
    /// </summary>
    public Grid? Grid { get; private init; }

    /// <summary>When the last run ended, if it ended cleanly.</summary>
    public DateTimeOffset? LastEnded => Runs.Count > 0 ? Runs[^1].Ended : null;

    /// <summary>Reads what the journal at <paramref name="path"/> holds.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="JournalUnreadableException">The file is not a Parmap journal, is damaged, or is of a newer format.</exception>
    public static Journal Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        using var connection = JournalFile.OpenForReading(full);
        try
        {
            var generations = JournalStore.Generations(connection);
            var running = JournalLock.IsHeld(full);
            var runs = JournalStore.Runs(connection);
            var current = generations.Count > 0 ? generations[^1] : null;
            var gen = current?.Gen ?? 0;
            return new Journal(full)
            {
                FormatVersion = Convert.ToInt32(JournalFile.Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture),
                FunctionName = current?.FunctionName ?? "",
                FunctionIdentity = current?.FunctionId ?? "",
                InputType = current?.InputType ?? "",
                OutputType = current?.OutputType ?? "",
                _total = current?.Total ?? 0,
                Done = JournalStore.Count(connection, JournalSql.CountValues, gen),
                Failed = JournalStore.Count(connection, JournalSql.CountFailures, gen),
                IsRunning = running,
                Grid = JournalGrid.Read(connection, gen),
                Changes = Math.Max(0, generations.Count - 1),
                Runs = [.. runs.Select((r, k) => JournalRun.From(r, running && k == runs.Count - 1))],
                Failures = [.. JournalStore.Failures(connection, gen).Select(f => new JournalFailure(f.Failure.Index, JournalCodec.ToText(f.Failure.Input),
                    f.Failure.ErrorType, f.Failure.Message, f.Failure.Details, f.Failure.Attempts))],
            };
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw JournalFile.Translate(e, full, "read");
        }
    }

    /// <summary>The recorded values, in input order, read as <typeparamref name="T"/> (the map's result type).</summary>
    /// <typeparam name="T">The result type of the map that wrote the journal.</typeparam>
    public IReadOnlyList<(long Index, T Value)> Results<T>()
    {
        var list = new List<(long Index, T Value)>();
        var formatter = JournalCodec.Formatter<T>();
        ReadItems((index, _, value) => list.Add((index, JournalCodec.Read(formatter, value))));
        list.Sort((a, b) => a.Index.CompareTo(b.Index));
        return list;
    }

    /// <summary>Every recorded value with its input, as JSON text, in input order.</summary>
    public IReadOnlyList<JournalItem> Items()
    {
        var list = new List<JournalItem>();
        ReadItems((index, input, value) => list.Add(new JournalItem(index, JournalCodec.ToText(input), JournalCodec.ToText(value))));
        list.Sort((a, b) => a.Index.CompareTo(b.Index));
        return list;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Journal '{Path}' (format {FormatVersion}){(IsRunning ? ", in use by a running map" : "")}"),
            $"  function: {FunctionName} ({InputType} -> {OutputType}), identity {FunctionIdentity}",
            TotalKnown
                ? string.Create(CultureInfo.InvariantCulture, $"  items: {Total:N0} in all, {Done:N0} done, {Failed:N0} failed, {Pending:N0} pending")
                : string.Create(CultureInfo.InvariantCulture, $"  items: {Done:N0} done, {Failed:N0} failed (a streamed input of unknown length: {(IsComplete ? "read to its end" : "not read to its end")})"),
        };
        foreach (var run in Runs)
        {
            lines.Add("  run: " + run);
        }
        foreach (var failure in Failures.Take(10))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  failed: item {failure.Index} (input {failure.Input}): {failure.ErrorType}: {failure.Message}"));
        }
        if (Failures.Count > 10)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  ... and {Failures.Count - 10:N0} more failures"));
        }
        return string.Join(Environment.NewLine, lines);
    }

    private List<StoredFailure> ReadFailures()
    {
        using var connection = JournalFile.OpenForReading(Path);
        var gen = JournalStore.Generations(connection) is { Count: > 0 } g ? g[^1].Gen : 0;
        return [.. JournalStore.Failures(connection, gen).Select(f => f.Failure)];
    }

    private void ReadItems(Action<long, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> onItem)
    {
        using var connection = JournalFile.OpenForReading(Path);
        var gen = JournalStore.Generations(connection) is { Count: > 0 } g ? g[^1].Gen : 0;
        JournalStore.ReadEntries(Path, connection, gen, (_, chunk) =>
        {
            foreach (var e in chunk)
            {
                onItem(e.Index, e.Input, e.Value);
            }
        });
    }
}
