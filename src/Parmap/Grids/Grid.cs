using System.Globalization;

namespace Parmap;

/// <summary>
/// The points of a parameter sweep: the Cartesian product of named axes (<see cref="Of{T1, T2}(Axis{T1}, Axis{T2})"/>) or axes
/// paired value by value (<see cref="Zip{T1, T2}(Axis{T1}, Axis{T2})"/>). Pass a grid to <c>Par.Map</c> and get a
/// <see cref="GridResult{TOut}"/> that keeps the axes.
/// </summary>
/// <remarks>
/// Points are numbered row-major: the first axis is the row (it varies slowest), the last axis varies fastest. A grid holds
/// no array of points; each point is computed from its index when asked for.
/// </remarks>
public abstract partial class Grid
{
    private readonly Axis[] _axes;
    private readonly int[] _dimension;
    private readonly int[] _shape;
    private readonly int[] _strides;

    private protected Grid(Axis[] axes, bool zipped)
    {
        if (axes.Length == 0)
        {
            throw new ArgumentException("A grid needs at least one axis.", nameof(axes));
        }
        for (var a = 0; a < axes.Length; a++)
        {
            ArgumentNullException.ThrowIfNull(axes[a], $"axes[{a}]");
            for (var b = 0; b < a; b++)
            {
                if (string.Equals(axes[a].Name, axes[b].Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"Axes {b} and {a} are both named '{axes[a].Name}'; give every axis of a grid its own name (names become table columns).", nameof(axes));
                }
            }
        }
        _axes = axes;
        IsZipped = zipped && axes.Length > 1;
        if (IsZipped)
        {
            foreach (var axis in axes)
            {
                if (axis.Count != axes[0].Count)
                {
                    throw new ArgumentException(
                        $"Zipped axes pair their values one to one, so they need the same number of values: axis '{axes[0].Name}' has {axes[0].Count:N0} and axis '{axis.Name}' has {axis.Count:N0}.", nameof(axes));
                }
            }
            _dimension = new int[axes.Length];
            _shape = [axes[0].Count];
            _strides = [1];
            Count = axes[0].Count;
            return;
        }
        _dimension = [.. Enumerable.Range(0, axes.Length)];
        _shape = [.. axes.Select(a => a.Count)];
        _strides = new int[axes.Length];
        long count = 1;
        foreach (var axis in axes)
        {
            count *= axis.Count;
            if (count > Array.MaxLength)
            {
                var shape = string.Join(" x ", axes.Select(a => string.Create(CultureInfo.InvariantCulture, $"'{a.Name}' ({a.Count:N0})")));
                throw new ArgumentException(
                    $"The grid {shape} is too large to index: with axis '{axis.Name}' it passes {Array.MaxLength:N0} points, the most one result array can hold. Use fewer points per axis or split the sweep into several grids.", nameof(axes));
            }
        }
        Count = (int)count;
        var stride = 1;
        for (var a = axes.Length - 1; a >= 0; a--)
        {
            _strides[a] = stride;
            stride *= axes[a].Count;
        }
    }

    /// <summary>The axes, in order; the first is the row (it varies slowest).</summary>
    public IReadOnlyList<Axis> Axes => _axes;

    /// <summary>Number of points per dimension: one entry per axis for a product, a single entry for a zip.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of points.</summary>
    public int Count { get; }

    /// <summary>True when the axes are paired value by value (<see cref="Zip{T1, T2}(Axis{T1}, Axis{T2})"/>) rather than combined.</summary>
    public bool IsZipped { get; }

    /// <summary>The position of the axis named <paramref name="name"/> in <see cref="Axes"/>.</summary>
    /// <param name="name">The axis name.</param>
    /// <exception cref="ArgumentException">No axis has that name (the message lists the names).</exception>
    public int AxisPosition(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var a = 0; a < _axes.Length; a++)
        {
            if (string.Equals(_axes[a].Name, name, StringComparison.Ordinal))
            {
                return a;
            }
        }
        throw new ArgumentException($"The grid has no axis '{name}'; its axes are {string.Join(", ", _axes.Select(a => $"'{a.Name}'"))}.", nameof(name));
    }

    /// <summary>The position along axis <paramref name="axis"/> of the point with index <paramref name="index"/>.</summary>
    /// <param name="index">The point index (row-major).</param>
    /// <param name="axis">The axis position in <see cref="Axes"/>.</param>
    public int IndexOn(int index, int axis)
    {
        CheckIndex(index);
        var d = _dimension[axis];
        return (index / _strides[d]) % _shape[d];
    }

    /// <summary>The index of the point at the given positions, one per dimension (see <see cref="Shape"/>).</summary>
    /// <param name="positions">One position per dimension.</param>
    /// <exception cref="ArgumentException">Wrong number of positions, or a position out of range (the message names the axis).</exception>
    public int IndexOf(params ReadOnlySpan<int> positions)
    {
        if (positions.Length != _shape.Length)
        {
            throw new ArgumentException($"The grid has {_shape.Length} dimension(s) ({Dimensions()}), got {positions.Length} position(s).", nameof(positions));
        }
        var index = 0;
        for (var d = 0; d < _shape.Length; d++)
        {
            if ((uint)positions[d] >= (uint)_shape[d])
            {
                throw new ArgumentOutOfRangeException(nameof(positions), positions[d], $"Position {positions[d]} is outside axis '{DimensionName(d)}', which has {_shape[d]} values (0 to {_shape[d] - 1}).");
            }
            index += positions[d] * _strides[d];
        }
        return index;
    }

    /// <summary>The index of the point with the given axis values, one per axis in axis order.</summary>
    /// <param name="values">One value per axis; numbers are converted to the axis type (so <c>0</c> finds <c>0.0</c>).</param>
    /// <exception cref="ArgumentException">Wrong number of values, an axis has no such value (the message names the axis and the nearest values), or zipped values that are not paired.</exception>
    public int IndexOfValues(params ReadOnlySpan<object> values) => IndexOf(values, FindValue);

    /// <summary>The index of the point nearest to the given coordinates, one per axis in axis order: on each axis the value closest to the coordinate (ties: the lower position).</summary>
    /// <param name="values">One coordinate per axis; every axis must hold numbers.</param>
    /// <exception cref="ArgumentException">Wrong number of values, an axis that does not hold numbers, a coordinate that is not a finite number, or zipped axes whose nearest values are not a pair.</exception>
    public int IndexOfNearest(params ReadOnlySpan<double> values)
    {
        var boxed = new object[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            boxed[i] = values[i];
        }
        return IndexOf(boxed, (axis, value) => NearestPosition(axis, (double)value));
    }

    private int IndexOf(ReadOnlySpan<object> values, Func<int, object, int> find)
    {
        if (values.Length != _axes.Length)
        {
            throw new ArgumentException($"The grid has {_axes.Length} axes ({string.Join(", ", _axes.Select(a => a.Name))}), got {values.Length} value(s).", nameof(values));
        }
        Span<int> positions = stackalloc int[_shape.Length];
        positions.Fill(-1);
        for (var a = 0; a < _axes.Length; a++)
        {
            var at = find(a, values[a]);
            var d = _dimension[a];
            if (positions[d] >= 0 && positions[d] != at)
            {
                throw new ArgumentException(
                    $"The zipped axes are paired value by value, but {_axes[0].Name}={Axis.Format(values[0])} is pair {positions[d]} and {_axes[a].Name}={Axis.Format(values[a])} is pair {at}.", nameof(values));
            }
            positions[d] = at;
        }
        return IndexOf(positions);
    }

    /// <summary>The point with index <paramref name="index"/> as an untyped <see cref="GridPoint"/> (values by axis name or position).</summary>
    /// <param name="index">The point index (row-major).</param>
    public GridPoint PointAt(int index)
    {
        CheckIndex(index);
        return new GridPoint(this, index);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{(IsZipped ? "zip" : "grid")} {Dimensions()} = {Count:N0} points ({string.Join("; ", _axes.Select(a => a.ToString()))})";

    internal int Dimension(int axis) => _dimension[axis];

    internal int FindValue(int axis, object value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(value));
        var at = _axes[axis].IndexOfValue(value);
        if (at < 0)
        {
            throw new ArgumentException($"Axis '{_axes[axis].Name}' has no value {Axis.Format(value)}{Nearest(_axes[axis], value)}.", nameof(value));
        }
        return at;
    }

    /// <summary>The position of the value of axis <paramref name="axis"/> nearest to <paramref name="value"/> (ties: the lower position).</summary>
    internal int NearestPosition(int axis, double value)
    {
        var values = _axes[axis];
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"A nearest lookup on axis '{values.Name}' needs a finite number, got {Axis.Format(value)}.", nameof(value));
        }
        if (!IsNumber(values.ValueType))
        {
            throw new ArgumentException($"Axis '{values.Name}' holds {values.ValueType.Name} values, so no value is nearest to {Axis.Format(value)}: look it up exactly (At, Slice) or by position (AtPositions, SliceAt).", nameof(value));
        }
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var i = 0; i < values.Count; i++)
        {
            var distance = Math.Abs(Convert.ToDouble(values.GetValue(i), CultureInfo.InvariantCulture) - value);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (i, distance);
            }
        }
        return best;
    }

    private static bool IsNumber(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long) || type == typeof(short)
        || type == typeof(byte) || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte) || type == typeof(decimal);

    private protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The grid has {Count:N0} points (indices 0 to {Count - 1}).");
        }
    }

    private string Dimensions() => string.Join(" x ", _shape);

    private string DimensionName(int d) => string.Join("/", _axes.Where((_, a) => _dimension[a] == d).Select(a => a.Name));

    private static string Nearest(Axis axis, object value)
    {
        if (axis.ValueType != typeof(double) || value is not IConvertible)
        {
            return "";
        }
        var target = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var values = (Axis<double>)axis;
        var best = 0;
        for (var i = 1; i < values.Count; i++)
        {
            if (Math.Abs(values[i] - target) < Math.Abs(values[best] - target))
            {
                best = i;
            }
        }
        return $"; the nearest is {Axis.Format(values[best])} (position {best}). Values are compared exactly: use a value of the axis, look up by position, or use AtNearest / SliceNearest";
    }
}
