using System.Collections;

namespace Parmap;

/// <summary>A grid whose points are of type <typeparamref name="TPoint"/>: the value itself for one axis, a <see cref="GridPoint{T1, T2}"/> (or wider) for several.</summary>
/// <typeparam name="TPoint">The point type handed to the function of <c>Par.Map</c>.</typeparam>
/// <remarks>A read-only list computed on demand: <c>grid[i]</c> builds point i from the axes; no array of points is kept.</remarks>
public sealed class Grid<TPoint> : Grid, IReadOnlyList<TPoint>
{
    private readonly Func<Grid, int, TPoint> _point;

    internal Grid(Axis[] axes, bool zipped, Func<Grid, int, TPoint> point)
        : base(axes, zipped)
    {
        _point = point;
    }

    /// <summary>The point with index <paramref name="index"/> (row-major).</summary>
    /// <param name="index">From 0 to <see cref="Grid.Count"/> - 1.</param>
    public TPoint this[int index]
    {
        // Called once per point by a grid sweep (in worker processes too): compiled optimized at once.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        get
        {
            CheckIndex(index);
            return _point(this, index);
        }
    }

    /// <inheritdoc/>
    public IEnumerator<TPoint> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _point(this, i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
