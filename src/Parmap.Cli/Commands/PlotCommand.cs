using System.CommandLine;
using System.Globalization;

using Parmap.Cli.Sweep;
using Parmap.Plots;
using Parmap.Tables;

using ScottPlot;

namespace Parmap.Cli.Commands;

/// <summary>
/// <c>parmap plot FILE</c>: a PNG of a results file (.csv, .parquet) or a journal: a heatmap of a value over two input
/// columns (<c>--x a --y b</c>), a line over one (<c>--x a</c>), or the histogram of one column (neither). The heatmap
/// and line are Parmap.Plots' grid plots over the grid the rows make.
/// </summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A results file (.csv or .parquet) of 'parmap run --results', or a journal of 'parmap run --journal'." };
        var x = new Option<string?>("--x", "-x") { Description = "The input column along the horizontal axis.", HelpName = "column" };
        var y = new Option<string?>("--y", "-y") { Description = "A second input column, along the vertical axis: a heatmap.", HelpName = "column" };
        var value = new Option<string?>("--value", "-v") { Description = "The column to plot (default: 'value', else the first numeric output column).", HelpName = "column" };
        var output = new Option<string>("--out", "-o") { Description = "The PNG file to write.", DefaultValueFactory = _ => "plot.png", HelpName = "file.png" };
        var bins = new Option<int>("--bins") { Description = "Histogram bins.", DefaultValueFactory = _ => 30 };
        var title = new Option<string?>("--title") { Description = "The plot's title." };
        var command = new Command("plot", "Plot a results file or journal to PNG: heatmap (--x and --y), line (--x), or histogram (neither) of a value column.") { file, x, y, value, output, bins, title };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var table = await ReadAsync(parse.GetValue(file)!, cancellationToken);
                var column = parse.GetValue(value) ?? DefaultValue(table);
                var values = table.Numbers(column);
                var path = parse.GetValue(output)!;
                var xs = parse.GetValue(x);
                var ys = parse.GetValue(y);
                if (xs is null && ys is not null)
                {
                    throw new UsageException("--y needs --x too (a heatmap has two axes).");
                }
                if (xs is null)
                {
                    Histogram(column, values, parse.GetValue(bins), path, parse.GetValue(title));
                }
                else
                {
                    // Parmap.Plots draws a grid's first axis vertically and its second horizontally.
                    var axes = ys is null ? new[] { table.Axis(xs) } : [table.Axis(ys), table.Axis(xs)];
                    var grid = Grid.Of(axes);
                    var cells = new double[grid.Count];
                    Array.Fill(cells, double.NaN);
                    var filled = new bool[grid.Count];
                    for (var row = 0; row < values.Length; row++)
                    {
                        var at = grid.IndexOfValues([.. axes.Select(a => table.Cell(a.Name, row, a.ValueType))]);
                        if (filled[at])
                        {
                            throw new UsageException($"several rows have the same {string.Join(" and ", axes.Select(a => a.Name))} ({string.Join(", ", axes.Select(a => table.Text(a.Name, row)))}): the other inputs vary too. Plot a results file with only these inputs varying.");
                        }
                        filled[at] = true;
                        cells[at] = values[row];
                    }
                    var result = new GridResult<double>(grid, cells, null);
                    if (ys is null)
                    {
                        result.PlotLine(path, title: parse.GetValue(title), valueLabel: column);
                    }
                    else
                    {
                        result.PlotHeatmap(path, title: parse.GetValue(title), valueLabel: column);
                    }
                }
                Console.WriteLine($"wrote {path}");
                return 0;
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync($"parmap plot: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string DefaultValue(PlotTable table) =>
        table.Names.Contains("value") ? "value"
        : table.Names.SkipWhile(n => n != "item").Skip(1).FirstOrDefault(n => n is not ("exit_code" or "seconds" or "attempts") && table.IsNumeric(n))
            ?? throw new UsageException($"no numeric column to plot; name one with --value (the columns are {string.Join(", ", table.Names)}).");

    private static void Histogram(string column, double[] values, int bins, string path, string? title)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0 || bins < 1)
        {
            throw new UsageException(bins < 1 ? "--bins must be at least 1." : $"the column '{column}' has no numbers to plot.");
        }
        var (min, max) = (finite.Min(), finite.Max());
        var width = max > min ? (max - min) / bins : 1;
        var counts = new double[bins];
        foreach (var v in finite)
        {
            counts[Math.Min(bins - 1, (int)((v - min) / width))]++;
        }
        using var plot = new Plot();
        var bars = plot.Add.Bars([.. Enumerable.Range(0, bins).Select(i => min + ((i + 0.5) * width))], counts);
        foreach (var bar in bars.Bars)
        {
            bar.Size = width;
            bar.LineWidth = 0;
        }
        plot.XLabel(column);
        plot.YLabel("items");
        plot.Title(title ?? string.Create(CultureInfo.InvariantCulture, $"{column}: {finite.Length:N0} items"));
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, 800, 500);
    }

    private static async Task<PlotTable> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"no file at '{path}'.");
        }
        try
        {
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".csv":
                    var (header, rows) = TableFile.ReadCsv(path);
                    return new PlotTable(header, [.. rows]);
                case ".parquet":
                    var (names, _, columns) = await TableFile.ReadParquetAsync(path, cancellationToken);
                    var count = columns.Length > 0 ? columns[0].Length : 0;
                    return new PlotTable(names, [.. Enumerable.Range(0, count).Select(r => columns.Select(c => CellFormat.Format(c.GetValue(r))).ToArray())]);
                default:
                    var journal = Journal.Open(path);
                    var results = JournalCommand.Rows(journal, out var inputs);
                    var table = ResultsTable.Columns(inputs, [.. results.OrderBy(r => r.Number)], 1);
                    return new PlotTable([.. table.Select(c => c.Name)], [.. Enumerable.Range(0, results.Count).Select(r => table.Select(c => c.Format(r)).ToArray())]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JournalException or FormatException or InvalidDataException)
        {
            throw new UsageException($"cannot read '{path}' as a results file or journal: {e.Message}");
        }
    }
}
