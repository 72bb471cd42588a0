using System.Collections;

using Parmap.Tables;

namespace Parmap;

/// <summary>
/// The results of a map over a <see cref="Grid"/>, one per point, that keep their axes: look values up by axis values or
/// positions, iterate (point, value) pairs, slice along an axis, and write a table (one column per axis, one per result field).
/// </summary>
/// <typeparam name="TOut">The result type: a scalar (one column <c>value</c>) or a record whose properties become columns.</typeparam>
/// <remarks>Holds the raw array of results (in point order) and the grid's axes, nothing more.</remarks>
public sealed class GridResult<TOut> : IEnumerable<(GridPoint Point, TOut Value)>
{
    private readonly TOut[] _values;

    internal GridResult(Grid grid, TOut[] values, RunReport? report)
    {
        Grid = grid;
        _values = values;
        Report = report;
    }

    /// <summary>The grid the results belong to.</summary>
    public Grid Grid { get; }

    /// <summary>The grid's axes.</summary>
    public IReadOnlyList<Axis> Axes => Grid.Axes;

    /// <summary>Number of results (points).</summary>
    public int Count => _values.Length;

    /// <summary>The results in point order (row-major).</summary>
    public ReadOnlySpan<TOut> Values => _values;

    /// <summary>The report of the run that computed the results, or <see langword="null"/> for results read from a file or sliced.</summary>
    public RunReport? Report { get; }

    /// <summary>The result of the point with index <paramref name="index"/> (row-major).</summary>
    /// <param name="index">The point index.</param>
    public TOut this[int index] => _values[index];

    /// <summary>The result at the given positions, one per dimension: <c>surface.AtPositions(250, 333)</c>.</summary>
    /// <param name="positions">One position per dimension of <see cref="Grid.Shape"/>.</param>
    /// <exception cref="ArgumentException">Wrong number of positions or a position out of range (the message names the axis).</exception>
    public TOut AtPositions(params ReadOnlySpan<int> positions) => _values[Grid.IndexOf(positions)];

    /// <summary>The result at the point with the given axis values, one per axis, compared exactly: <c>surface.At(0.5, 0.5)</c> (on axes that hold those values).</summary>
    /// <param name="values">One value per axis, compared exactly; numbers are converted to the axis type.</param>
    /// <exception cref="ArgumentException">Wrong number of values or an axis has no such value (the message names the axis and the nearest value).</exception>
    /// <remarks>Values computed by an axis (<c>Linspace</c>) are often not the round numbers you might type: 0.25 is not a value of
    /// <c>Linspace("alpha", 0, 1, 1000)</c>. Use <see cref="AtNearest"/> for coordinates, or <see cref="AtPositions"/>.</remarks>
    public TOut At(params ReadOnlySpan<object> values) => _values[Grid.IndexOfValues(values)];

    /// <summary>The result at the grid point nearest to the given coordinates, one per axis: <c>surface.AtNearest(0.25, 0.5)</c>.</summary>
    /// <param name="values">One coordinate per axis; on each axis the closest value is taken (ties: the lower position).</param>
    /// <exception cref="ArgumentException">Wrong number of values, an axis that does not hold numbers, or a coordinate that is not finite.</exception>
    /// <remarks>Use <see cref="Grid"/>'s <see cref="Grid.PointAt"/> with <see cref="Grid.IndexOfNearest"/> to see which point was taken.</remarks>
    public TOut AtNearest(params ReadOnlySpan<double> values) => _values[Grid.IndexOfNearest(values)];

    /// <summary>The results with one axis fixed at <paramref name="value"/>: a grid result with that axis removed.</summary>
    /// <param name="axis">The name of the axis to fix.</param>
    /// <param name="value">The value to fix it at.</param>
    /// <exception cref="ArgumentException">No such axis or value.</exception>
    /// <exception cref="InvalidOperationException">The grid has one dimension only, so fixing it leaves a single value (use <see cref="At"/>).</exception>
    public GridResult<TOut> Slice(string axis, object value)
    {
        var position = Grid.AxisPosition(axis);
        return SliceAt(axis, Grid.FindValue(position, value));
    }

    /// <summary>The results with one axis fixed at its value nearest to <paramref name="value"/>: <c>surface.SliceNearest("alpha", 0.5)</c>.</summary>
    /// <param name="axis">The name of the axis to fix; it must hold numbers.</param>
    /// <param name="value">The coordinate; the axis value closest to it is taken (ties: the lower position).</param>
    /// <exception cref="ArgumentException">No such axis, an axis that does not hold numbers, or a coordinate that is not finite.</exception>
    /// <exception cref="InvalidOperationException">The grid has one dimension only.</exception>
    public GridResult<TOut> SliceNearest(string axis, double value)
    {
        var position = Grid.AxisPosition(axis);
        return SliceAt(axis, Grid.NearestPosition(position, value));
    }

    /// <summary>The results with one axis fixed at position <paramref name="index"/>: a grid result with that axis removed.</summary>
    /// <param name="axis">The name of the axis to fix.</param>
    /// <param name="index">The position on that axis.</param>
    /// <exception cref="ArgumentException">No such axis, or the position is out of range.</exception>
    /// <exception cref="InvalidOperationException">The grid has one dimension only.</exception>
    public GridResult<TOut> SliceAt(string axis, int index)
    {
        var position = Grid.AxisPosition(axis);
        if (Grid.Shape.Count < 2)
        {
            throw new InvalidOperationException($"Fixing axis '{axis}' of a one-dimensional grid leaves a single value; use At or AtPositions instead of a slice.");
        }
        var fixedAxis = Grid.Axes[position];
        if ((uint)index >= (uint)fixedAxis.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Axis '{axis}' has {fixedAxis.Count} values (positions 0 to {fixedAxis.Count - 1}).");
        }
        Axis[] rest = [.. Grid.Axes.Where((_, a) => a != position)];
        var sliced = Grid.Of(rest);
        var values = new TOut[sliced.Count];
        var dimension = Grid.Dimension(position);
        Span<int> positions = stackalloc int[Grid.Shape.Count];
        for (var k = 0; k < values.Length; k++)
        {
            var r = 0;
            for (var d = 0; d < positions.Length; d++)
            {
                positions[d] = d == dimension ? index : sliced.IndexOn(k, r++);
            }
            values[k] = _values[Grid.IndexOf(positions)];
        }
        return new GridResult<TOut>(sliced, values, null);
    }

    /// <summary>The results mapped through <paramref name="selector"/>, on the same grid (e.g. one field of a record, for a heatmap).</summary>
    /// <typeparam name="TNew">The new result type.</typeparam>
    /// <param name="selector">Maps one result.</param>
    public GridResult<TNew> Select<TNew>(Func<TOut, TNew> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new GridResult<TNew>(Grid, Array.ConvertAll(_values, v => selector(v)), Report);
    }

    /// <summary>Writes the results as CSV: a header, then one row per point with one column per axis and one per result field.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <remarks>Numbers are written in the invariant culture with round-trip precision, so <see cref="GridResult.ReadCsv{TOut}"/> gives back the same bits.</remarks>
    /// <exception cref="NotSupportedException"><typeparamref name="TOut"/> has a member that cannot be a column.</exception>
    /// <exception cref="InvalidOperationException">A result field has the same name as an axis.</exception>
    public void WriteCsv(string path) => TableFile.WriteCsv(path, Columns(), Count);

    /// <summary>Writes the results as a Parquet file: one column per axis and one per result field, typed.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <inheritdoc cref="WriteCsv(string)" path="/exception"/>
    public Task WriteParquetAsync(string path, CancellationToken cancellationToken = default) =>
        TableFile.WriteParquetAsync(path, Columns(), Count, cancellationToken);

    /// <summary>Synchronous twin of <see cref="WriteParquetAsync"/>.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    public void WriteParquet(string path) => WriteParquetAsync(path).GetAwaiter().GetResult();

    /// <summary>The (point, value) pairs in point order.</summary>
    public IEnumerator<(GridPoint Point, TOut Value)> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return (new GridPoint(Grid, i), _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"{Count:N0} results of {typeof(TOut).Name} on a {Grid}";

    /// <summary>The table columns: one per axis, then the flattened result fields.</summary>
    internal IReadOnlyList<TableColumn> Columns()
    {
        var columns = new List<TableColumn>();
        for (var a = 0; a < Grid.Axes.Count; a++)
        {
            var axis = a;
            columns.Add(Grid.Axes[a].ToColumn(row => Grid.IndexOn(row, axis)));
        }
        columns.AddRange(RecordShape<TOut>.Instance.Columns(row => _values[row]));
        return columns;
    }
}
