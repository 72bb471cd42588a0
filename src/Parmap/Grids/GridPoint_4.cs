namespace Parmap;

/// <summary>A point of a 4-axis grid: one typed value per axis (<c>Item1</c> .. <c>Item4</c>, or <see cref="Get{T}(string)"/> by axis name) and its index.</summary>
/// <typeparam name="T1">The value type of axis 1.</typeparam>
/// <typeparam name="T2">The value type of axis 2.</typeparam>
/// <typeparam name="T3">The value type of axis 3.</typeparam>
/// <typeparam name="T4">The value type of axis 4.</typeparam>
/// <remarks>Deconstructs: <c>var (v1, v2, v3, v4) = point;</c></remarks>
public readonly struct GridPoint<T1, T2, T3, T4> : IEquatable<GridPoint<T1, T2, T3, T4>>
{
    private readonly Grid _grid;

    internal GridPoint(Grid grid, int index, T1 item1, T2 item2, T3 item3, T4 item4)
    {
        _grid = grid;
        Index = index;
        Item1 = item1;
        Item2 = item2;
        Item3 = item3;
        Item4 = item4;
    }

    /// <summary>The value on axis 1 (<c>Grid.Axes[0]</c>).</summary>
    public T1 Item1 { get; }

    /// <summary>The value on axis 2 (<c>Grid.Axes[1]</c>).</summary>
    public T2 Item2 { get; }

    /// <summary>The value on axis 3 (<c>Grid.Axes[2]</c>).</summary>
    public T3 Item3 { get; }

    /// <summary>The value on axis 4 (<c>Grid.Axes[3]</c>).</summary>
    public T4 Item4 { get; }

    /// <summary>The point index in its grid (row-major).</summary>
    public int Index { get; }

    /// <summary>The value on the axis named <paramref name="axis"/>.</summary>
    /// <typeparam name="T">The axis value type.</typeparam>
    /// <param name="axis">The axis name.</param>
    /// <exception cref="ArgumentException">No such axis.</exception>
    /// <exception cref="InvalidCastException">The axis holds values of another type.</exception>
    public T Get<T>(string axis)
    {
        var position = _grid.AxisPosition(axis);
        return GridPoint.Cast<T>(_grid, position, this[position]);
    }

    /// <summary>The value on the axis at position <paramref name="axis"/>, boxed.</summary>
    /// <param name="axis">The axis position, from 0.</param>
    public object? this[int axis] => axis switch
    {
        0 => Item1,
        1 => Item2,
        2 => Item3,
        _ => Item4,
    };

    /// <summary>Splits the point into its values.</summary>
    /// <param name="item1">The value on axis 1.</param>
    /// <param name="item2">The value on axis 2.</param>
    /// <param name="item3">The value on axis 3.</param>
    /// <param name="item4">The value on axis 4.</param>
    public void Deconstruct(out T1 item1, out T2 item2, out T3 item3, out T4 item4)
    {
        item1 = Item1;
        item2 = Item2;
        item3 = Item3;
        item4 = Item4;
    }

    /// <inheritdoc/>
    public bool Equals(GridPoint<T1, T2, T3, T4> other) => Index == other.Index && ReferenceEquals(_grid, other._grid) && EqualityComparer<T1>.Default.Equals(Item1, other.Item1) && EqualityComparer<T2>.Default.Equals(Item2, other.Item2) && EqualityComparer<T3>.Default.Equals(Item3, other.Item3) && EqualityComparer<T4>.Default.Equals(Item4, other.Item4);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GridPoint<T1, T2, T3, T4> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Index, Item1, Item2, Item3, Item4);

    /// <summary>Equality by grid, index and values.</summary>
    public static bool operator ==(GridPoint<T1, T2, T3, T4> left, GridPoint<T1, T2, T3, T4> right) => left.Equals(right);

    /// <summary>Inequality by grid, index and values.</summary>
    public static bool operator !=(GridPoint<T1, T2, T3, T4> left, GridPoint<T1, T2, T3, T4> right) => !left.Equals(right);

    /// <summary>The point as <c>(alpha=0.25, beta=0.5)</c>.</summary>
    public override string ToString() => _grid is null ? "(default)" : GridPoint.Describe(_grid, Item1, Item2, Item3, Item4);
}
