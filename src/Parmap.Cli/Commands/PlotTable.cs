using System.Globalization;

namespace Parmap.Cli.Commands;

/// <summary>A results table as text cells, with what plotting needs: a column's numbers, and an axis of a column's distinct values.</summary>
internal sealed class PlotTable(string[] names, List<string[]> rows)
{
    public string[] Names { get; } = names;

    public string Text(string column, int row) => rows[row][Index(column)];

    public bool IsNumeric(string column)
    {
        var c = Index(column);
        return rows.All(r => r[c].Length == 0 || double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }

    /// <summary>The column as numbers (empty cells are NaN).</summary>
    /// <exception cref="UsageException">No such column, or a cell is not a number.</exception>
    public double[] Numbers(string column)
    {
        var c = Index(column);
        return [.. rows.Select((r, i) => r[c].Length == 0 ? double.NaN
            : double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new UsageException($"the column '{column}' holds '{r[c]}' in row {i + 1}, not a number; plot a numeric column (--value).")),];
    }

    /// <summary>An axis of the column's distinct values: numbers in increasing order when all are numbers, else text in order of appearance.</summary>
    public Axis Axis(string column)
    {
        var c = Index(column);
        if (IsNumeric(column) && rows.All(r => r[c].Length > 0))
        {
            return Parmap.Axis.Values(column, rows.Select(r => double.Parse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture)).Distinct().Order().ToArray());
        }
        return Parmap.Axis.Values(column, rows.Select(r => r[c]).Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>A cell as the axis value type (for looking the grid point up).</summary>
    public object Cell(string column, int row, Type type) =>
        type == typeof(double) ? double.Parse(Text(column, row), NumberStyles.Float, CultureInfo.InvariantCulture) : Text(column, row);

    private int Index(string column)
    {
        var c = Array.IndexOf(Names, column);
        return c >= 0 ? c : throw new UsageException($"no column '{column}'; the columns are {string.Join(", ", Names)}.");
    }
}
