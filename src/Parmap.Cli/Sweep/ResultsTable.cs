using System.Globalization;

using Parmap.Tables;

namespace Parmap.Cli.Sweep;

/// <summary>One row of the results: the item, its inputs and what its run gave (or why it failed).</summary>
internal sealed record ResultRow(long Number, string[] Values, ItemRun? Run, string? Error, int Attempts);

/// <summary>
/// The results file (<c>--results out.csv|out.parquet</c>): one row per finished item in item order, with the inputs,
/// the captured fields, the exit code, the duration, the attempts, the error and the tail of standard error. A column
/// whose every value is a number is written as numbers (missing ones as NaN), any other as text.
/// </summary>
internal static class ResultsTable
{
    /// <summary>Refuses a results path that cannot be written, before anything runs.</summary>
    /// <exception cref="UsageException">Not .csv or .parquet, or the file cannot be created.</exception>
    public static void CheckWritable(string path)
    {
        _ = FormatOf(path);
        var existed = File.Exists(path);
        try
        {
            using (File.Open(path, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }
            if (!existed)
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--results '{path}' cannot be written ({e.Message}). Choose a path in a folder you can write to.");
        }
    }

    public static async Task WriteAsync(string path, string[] names, IReadOnlyList<ResultRow> rows, int stderrLines, CancellationToken cancellationToken)
    {
        var sorted = rows.OrderBy(r => r.Number).ToArray();
        var columns = Columns(names, sorted, stderrLines);
        if (FormatOf(path) == ".csv")
        {
            TableFile.WriteCsv(path, columns, sorted.Length);
        }
        else
        {
            await TableFile.WriteParquetAsync(path, columns, sorted.Length, cancellationToken);
        }
    }

    internal static List<TableColumn> Columns(string[] names, ResultRow[] rows, int stderrLines)
    {
        var columns = new List<TableColumn> { new TableColumn<long>("item", i => rows[i].Number) };
        for (var c = 0; c < names.Length; c++)
        {
            var at = c;
            columns.Add(Typed(names[c], i => rows[i].Values[at], rows.Length));
        }
        var fields = rows.SelectMany(r => r.Run is { } run ? run.Fields.Keys : Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var field in fields)
        {
            var name = names.Contains(field, StringComparer.Ordinal) || field is "item" or "exit_code" or "seconds" or "attempts" or "error" or "stderr" ? "out_" + field : field;
            columns.Add(Typed(name, i => rows[i].Run?.Fields.GetValueOrDefault(field), rows.Length));
        }
        columns.Add(new TableColumn<int>("exit_code", i => rows[i].Run?.ExitCode ?? -1));
        columns.Add(new TableColumn<double>("seconds", i => rows[i].Run?.Seconds ?? double.NaN));
        columns.Add(new TableColumn<int>("attempts", i => rows[i].Attempts));
        columns.Add(new TableColumn<string>("error", i => rows[i].Error ?? ""));
        columns.Add(new TableColumn<string>("stderr", i => rows[i].Run?.StderrTail(stderrLines) ?? ""));
        return columns;
    }

    private static TableColumn Typed(string name, Func<int, string?> text, int count)
    {
        var numbers = new double[count];
        var any = false;
        for (var i = 0; i < count; i++)
        {
            var t = text(i);
            if (string.IsNullOrEmpty(t))
            {
                numbers[i] = double.NaN;
            }
            else if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                any = true;
            }
            else
            {
                return new TableColumn<string>(name, r => text(r) ?? "");
            }
        }
        return any ? new TableColumn<double>(name, r => numbers[r]) : new TableColumn<string>(name, r => text(r) ?? "");
    }

    private static string FormatOf(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".csv" or ".parquet"
            ? ext
            : throw new UsageException($"--results '{path}': the file name must end in .csv or .parquet (the format is chosen by the extension).");
    }
}
