using System.Reflection;

using Parmap.Tables;

namespace Parmap;

/// <summary>Reads grid results back from the CSV and Parquet files that <see cref="GridResult{TOut}"/> writes.</summary>
/// <remarks>
/// The columns named after the fields of the result type (<c>value</c> for a scalar) are the results; every other
/// column is an axis, in file order. Axis values are the distinct values of the column in order of first appearance (numbers
/// in a CSV file become <see cref="double"/> axes, other text <see cref="string"/> axes; Parquet keeps the column type). The rows
/// must be a full grid in row-major order (as written), or paired axes (a zip).
/// </remarks>
public static class GridResult
{
    /// <summary>Reads a CSV file written by <see cref="GridResult{TOut}.WriteCsv"/> (or laid out the same way).</summary>
    /// <typeparam name="TOut">The result type; its fields name the result columns.</typeparam>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">A result column is missing, a cell does not parse, or the rows are not a grid in row-major order (the message says which row).</exception>
    public static GridResult<TOut> ReadCsv<TOut>(string path)
    {
        var shape = RecordShape<TOut>.Instance;
        var (header, rows) = TableFile.ReadCsv(path);
        var (valueColumns, axisColumns) = SplitColumns(header, shape, path);
        var builders = axisColumns.Select(c => new AxisBuilder<string>(header[c])).ToArray();
        var build = shape.Builder();
        var values = new List<TOut>();
        var cells = new object?[valueColumns.Length];
        foreach (var row in rows)
        {
            for (var a = 0; a < builders.Length; a++)
            {
                builders[a].Add(row[axisColumns[a]]);
            }
            for (var v = 0; v < valueColumns.Length; v++)
            {
                var text = row[valueColumns[v]];
                if (!CellFormat.TryParse(shape.Types[v], text, out cells[v]))
                {
                    throw new InvalidDataException($"Row {values.Count + 1} of '{path}': column '{shape.Names[v]}' has '{text}', which is not a {shape.Types[v].Name}.");
                }
            }
            values.Add(build(cells));
        }
        var axes = builders.Select(b => b.ToAxisFromText()).ToArray();
        return Assemble(path, axes, [.. builders.Select(b => b.Positions)], [.. values]);
    }

    /// <summary>Reads a Parquet file written by <see cref="GridResult{TOut}.WriteParquetAsync"/>.</summary>
    /// <typeparam name="TOut">The result type; its fields name the result columns.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="InvalidDataException">A result column is missing or of another type, or the rows are not a grid in row-major order.</exception>
    public static async Task<GridResult<TOut>> ReadParquetAsync<TOut>(string path, CancellationToken cancellationToken = default)
    {
        var shape = RecordShape<TOut>.Instance;
        var (names, types, columns) = await TableFile.ReadParquetAsync(path, cancellationToken).ConfigureAwait(false);
        var (valueColumns, axisColumns) = SplitColumns(names, shape, path);
        for (var v = 0; v < valueColumns.Length; v++)
        {
            if (types[valueColumns[v]] != shape.Types[v])
            {
                throw new InvalidDataException($"Column '{shape.Names[v]}' of '{path}' holds {types[valueColumns[v]].Name} values; {typeof(TOut).Name} needs {shape.Types[v].Name}.");
            }
        }
        var rows = columns.Length == 0 ? 0 : columns[0].Length;
        var build = shape.Builder();
        var values = new TOut[rows];
        var cells = new object?[valueColumns.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var v = 0; v < valueColumns.Length; v++)
            {
                cells[v] = columns[valueColumns[v]].GetValue(r);
            }
            values[r] = build(cells);
        }
        var axes = new Axis[axisColumns.Length];
        var positions = new int[axisColumns.Length][];
        var method = typeof(GridResult).GetMethod(nameof(BuildAxis), BindingFlags.NonPublic | BindingFlags.Static)!;
        for (var a = 0; a < axisColumns.Length; a++)
        {
            var c = axisColumns[a];
            (axes[a], positions[a]) = ((Axis, int[]))method.MakeGenericMethod(types[c]).Invoke(null, [names[c], columns[c]])!;
        }
        return Assemble(path, axes, positions, values);
    }

    /// <summary>Synchronous twin of <see cref="ReadParquetAsync{TOut}"/>.</summary>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="path">The file.</param>
    public static GridResult<TOut> ReadParquet<TOut>(string path) => ReadParquetAsync<TOut>(path).GetAwaiter().GetResult();

    private static (Axis, int[]) BuildAxis<T>(string name, T[] column)
        where T : notnull
    {
        var builder = new AxisBuilder<T>(name);
        foreach (var value in column)
        {
            builder.Add(value);
        }
        return (builder.ToAxis(), builder.Positions);
    }

    private static (int[] Values, int[] Axes) SplitColumns<TOut>(string[] header, RecordShape<TOut> shape, string path)
    {
        var valueColumns = new int[shape.Names.Count];
        for (var v = 0; v < valueColumns.Length; v++)
        {
            valueColumns[v] = Array.IndexOf(header, shape.Names[v]);
            if (valueColumns[v] < 0)
            {
                throw new InvalidDataException(
                    $"The file '{path}' has no column '{shape.Names[v]}', which {typeof(TOut).Name} results need; its columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.");
            }
        }
        int[] axisColumns = [.. Enumerable.Range(0, header.Length).Except(valueColumns)];
        if (axisColumns.Length == 0)
        {
            throw new InvalidDataException($"The file '{path}' has no axis columns: every column is a field of {typeof(TOut).Name}.");
        }
        return (valueColumns, axisColumns);
    }

    private static GridResult<TOut> Assemble<TOut>(string path, Axis[] axes, int[][] positions, TOut[] values)
    {
        if (values.Length == 0)
        {
            throw new InvalidDataException($"The file '{path}' has a header but no rows.");
        }
        var zipped = axes.Length > 1 && axes.All(a => a.Count == values.Length);
        var grid = new Grid<GridPoint>(axes, zipped, static (g, k) => new GridPoint(g, k));
        if (grid.Count != values.Length)
        {
            throw new InvalidDataException(
                $"The rows of '{path}' are not a full grid: {values.Length:N0} rows, but the axes {string.Join(" x ", axes.Select(a => $"'{a.Name}' ({a.Count:N0} distinct values)"))} make {grid.Count:N0} points.");
        }
        for (var r = 0; r < values.Length; r++)
        {
            for (var a = 0; a < axes.Length; a++)
            {
                if (positions[a][r] != grid.IndexOn(r, a))
                {
                    throw new InvalidDataException(
                        $"Row {r + 1} of '{path}' is out of grid order: it has {axes[a].Name}={Axis.Format(axes[a].GetValue(positions[a][r]))} where row-major order (first axis slowest) puts {axes[a].Name}={Axis.Format(axes[a].GetValue(grid.IndexOn(r, a)))}.");
                }
            }
        }
        return new GridResult<TOut>(grid, values, null);
    }

    /// <summary>Collects the distinct values of a column in order of first appearance, and each row's position among them.</summary>
    private sealed class AxisBuilder<T>(string name)
        where T : notnull
    {
        private readonly Dictionary<T, int> _positions = [];
        private readonly List<T> _distinct = [];
        private readonly List<int> _rows = [];

        public int[] Positions => [.. _rows];

        public void Add(T value)
        {
            if (!_positions.TryGetValue(value, out var at))
            {
                at = _distinct.Count;
                _positions.Add(value, at);
                _distinct.Add(value);
            }
            _rows.Add(at);
        }

        public Axis ToAxis() => new ValuesAxis<T>(name, [.. _distinct], "read from a file");

        public Axis ToAxisFromText()
        {
            var numbers = new double[_distinct.Count];
            for (var i = 0; i < numbers.Length; i++)
            {
                if (!CellFormat.TryParse((string)(object)_distinct[i], out numbers[i]) || !double.IsFinite(numbers[i]))
                {
                    return ToAxis();
                }
            }
            return new ValuesAxis<double>(name, numbers, "read from a file");
        }
    }
}
