using System.Text;

namespace Parmap;

/// <summary>A point of any grid, untyped: its index and its value on each axis, by axis name or position.</summary>
/// <remarks>The point of grids with more than four axes, and the point that <see cref="GridResult{TOut}"/> hands out when iterated.</remarks>
public readonly struct GridPoint : IEquatable<GridPoint>
{
    internal GridPoint(Grid grid, int index)
    {
        Grid = grid;
        Index = index;
    }

    /// <summary>The grid the point belongs to.</summary>
    public Grid Grid { get; }

    /// <summary>The point index in its grid (row-major).</summary>
    public int Index { get; }

    /// <summary>The value on the axis at position <paramref name="axis"/>.</summary>
    /// <param name="axis">The axis position.</param>
    public object this[int axis] => Grid.Axes[axis].GetValue(Grid.IndexOn(Index, axis));

    /// <summary>The value on the axis named <paramref name="axis"/>.</summary>
    /// <param name="axis">The axis name.</param>
    public object this[string axis] => this[Grid.AxisPosition(axis)];

    /// <summary>The value on the axis at position <paramref name="axis"/>, typed.</summary>
    /// <typeparam name="T">The axis value type.</typeparam>
    /// <param name="axis">The axis position.</param>
    public T Get<T>(int axis) => Cast<T>(Grid, axis, this[axis]);

    /// <summary>The value on the axis named <paramref name="axis"/>, typed.</summary>
    /// <typeparam name="T">The axis value type.</typeparam>
    /// <param name="axis">The axis name.</param>
    /// <exception cref="ArgumentException">No such axis.</exception>
    /// <exception cref="InvalidCastException">The axis holds values of another type.</exception>
    public T Get<T>(string axis)
    {
        var position = Grid.AxisPosition(axis);
        return Cast<T>(Grid, position, this[position]);
    }

    /// <summary>The position of the point along axis <paramref name="axis"/>.</summary>
    /// <param name="axis">The axis name.</param>
    public int PositionOn(string axis) => Grid.IndexOn(Index, Grid.AxisPosition(axis));

    /// <inheritdoc/>
    public bool Equals(GridPoint other) => ReferenceEquals(Grid, other.Grid) && Index == other.Index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GridPoint other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Grid, Index);

    /// <summary>Equality by grid and index.</summary>
    public static bool operator ==(GridPoint left, GridPoint right) => left.Equals(right);

    /// <summary>Inequality by grid and index.</summary>
    public static bool operator !=(GridPoint left, GridPoint right) => !left.Equals(right);

    /// <summary>The point as <c>(alpha=0.25, beta=0.5)</c>.</summary>
    public override string ToString()
    {
        if (Grid is null)
        {
            return "(default)";
        }
        var values = new object[Grid.Axes.Count];
        for (var a = 0; a < values.Length; a++)
        {
            values[a] = this[a];
        }
        return Describe(Grid, values);
    }

    internal static string Describe(Grid grid, params ReadOnlySpan<object?> values)
    {
        var text = new StringBuilder("(");
        for (var a = 0; a < values.Length; a++)
        {
            text.Append(a > 0 ? ", " : "").Append(grid.Axes[a].Name).Append('=').Append(Axis.Format(values[a]));
        }
        return text.Append(')').ToString();
    }

    internal static T Cast<T>(Grid grid, int axis, object? value) => value is T typed
        ? typed
        : throw new InvalidCastException($"Axis '{grid.Axes[axis].Name}' holds {grid.Axes[axis].ValueType.Name} values, not {typeof(T).Name}.");
}
