using System.Runtime.CompilerServices;

namespace Parmap;

// The factories: Cartesian products (Of) and paired axes (Zip) of 1 to 4 typed axes, and of any number of axes untyped.
public abstract partial class Grid
{
    /// <summary>A one-axis grid: the points are the axis values themselves.</summary>
    /// <typeparam name="T1">The axis value type.</typeparam>
    /// <param name="axis1">The axis.</param>
    public static Grid<T1> Of<T1>(Axis<T1> axis1)
        where T1 : notnull
    {
        ArgumentNullException.ThrowIfNull(axis1);
        return new Grid<T1>([axis1], zipped: false, (_, k) => axis1[k]);
    }

    /// <summary>The Cartesian product of any number of axes, with untyped points (values by axis name: <c>p.Get&lt;double&gt;("alpha")</c>).</summary>
    /// <param name="axes">The axes; the first is the row (varies slowest).</param>
    /// <exception cref="ArgumentException">No axes, two axes with one name, or too many points to index (the message names the axis).</exception>
    public static Grid<GridPoint> Of(params Axis[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return new Grid<GridPoint>([.. axes], zipped: false, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (g, k) => new GridPoint(g, k));
    }

    /// <summary>The Cartesian product of 2 axes: every combination of their values, row-major (axis 1 varies slowest).</summary>
    /// <typeparam name="T1">The value type of axis 1.</typeparam>
    /// <typeparam name="T2">The value type of axis 2.</typeparam>
    /// <param name="axis1">Axis 1 (the row: varies slowest).</param>
    /// <param name="axis2">Axis 2.</param>
    /// <exception cref="ArgumentException">Two axes share a name, or the product is too large to index (the message names the axis).</exception>
    public static Grid<GridPoint<T1, T2>> Of<T1, T2>(Axis<T1> axis1, Axis<T2> axis2)
        where T1 : notnull
        where T2 : notnull
    {
        ArgumentNullException.ThrowIfNull(axis1);
        ArgumentNullException.ThrowIfNull(axis2);
        // Strides over the typed axes: the base constructor rejects grids too large to index before any point is made.
        var s1 = (int)Math.Min(int.MaxValue, (long)axis2.Count);
        return new Grid<GridPoint<T1, T2>>([axis1, axis2], zipped: false, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (g, k) => new GridPoint<T1, T2>(g, k, axis1[k / s1], axis2[k % axis2.Count]));
    }

    /// <summary>The Cartesian product of 3 axes: every combination of their values, row-major (axis 1 varies slowest).</summary>
    /// <typeparam name="T1">The value type of axis 1.</typeparam>
    /// <typeparam name="T2">The value type of axis 2.</typeparam>
    /// <typeparam name="T3">The value type of axis 3.</typeparam>
    /// <param name="axis1">Axis 1 (the row: varies slowest).</param>
    /// <param name="axis2">Axis 2.</param>
    /// <param name="axis3">Axis 3.</param>
    /// <exception cref="ArgumentException">Two axes share a name, or the product is too large to index (the message names the axis).</exception>
    public static Grid<GridPoint<T1, T2, T3>> Of<T1, T2, T3>(Axis<T1> axis1, Axis<T2> axis2, Axis<T3> axis3)
        where T1 : notnull
        where T2 : notnull
        where T3 : notnull
    {
        ArgumentNullException.ThrowIfNull(axis1);
        ArgumentNullException.ThrowIfNull(axis2);
        ArgumentNullException.ThrowIfNull(axis3);
        // Strides over the typed axes: the base constructor rejects grids too large to index before any point is made.
        var s1 = (int)Math.Min(int.MaxValue, (long)axis2.Count * axis3.Count);
        var s2 = (int)Math.Min(int.MaxValue, (long)axis3.Count);
        return new Grid<GridPoint<T1, T2, T3>>([axis1, axis2, axis3], zipped: false, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (g, k) => new GridPoint<T1, T2, T3>(g, k, axis1[k / s1], axis2[(k / s2) % axis2.Count], axis3[k % axis3.Count]));
    }

    /// <summary>The Cartesian product of 4 axes: every combination of their values, row-major (axis 1 varies slowest).</summary>
    /// <typeparam name="T1">The value type of axis 1.</typeparam>
    /// <typeparam name="T2">The value type of axis 2.</typeparam>
    /// <typeparam name="T3">The value type of axis 3.</typeparam>
    /// <typeparam name="T4">The value type of axis 4.</typeparam>
    /// <param name="axis1">Axis 1 (the row: varies slowest).</param>
    /// <param name="axis2">Axis 2.</param>
    /// <param name="axis3">Axis 3.</param>
    /// <param name="axis4">Axis 4.</param>
    /// <exception cref="ArgumentException">Two axes share a name, or the product is too large to index (the message names the axis).</exception>
    public static Grid<GridPoint<T1, T2, T3, T4>> Of<T1, T2, T3, T4>(Axis<T1> axis1, Axis<T2> axis2, Axis<T3> axis3, Axis<T4> axis4)
        where T1 : notnull
        where T2 : notnull
        where T3 : notnull
        where T4 : notnull
    {
        ArgumentNullException.ThrowIfNull(axis1);
        ArgumentNullException.ThrowIfNull(axis2);
        ArgumentNullException.ThrowIfNull(axis3);
        ArgumentNullException.ThrowIfNull(axis4);
        // Strides over the typed axes: the base constructor rejects grids too large to index before any point is made.
        var s1 = (int)Math.Min(int.MaxValue, (long)axis2.Count * axis3.Count * axis4.Count);
        var s2 = (int)Math.Min(int.MaxValue, (long)axis3.Count * axis4.Count);
        var s3 = (int)Math.Min(int.MaxValue, (long)axis4.Count);
        return new Grid<GridPoint<T1, T2, T3, T4>>([axis1, axis2, axis3, axis4], zipped: false, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (g, k) => new GridPoint<T1, T2, T3, T4>(g, k, axis1[k / s1], axis2[(k / s2) % axis2.Count], axis3[(k / s3) % axis3.Count], axis4[k % axis4.Count]));
    }

    /// <summary>Pairs 2 axes value by value (point i has value i of every axis), like Python's <c>zip</c>: the axes need equal lengths.</summary>
    /// <typeparam name="T1">The value type of axis 1.</typeparam>
    /// <typeparam name="T2">The value type of axis 2.</typeparam>
    /// <param name="axis1">Axis 1.</param>
    /// <param name="axis2">Axis 2.</param>
    /// <exception cref="ArgumentException">The axes differ in length or share a name (the message names them).</exception>
    public static Grid<GridPoint<T1, T2>> Zip<T1, T2>(Axis<T1> axis1, Axis<T2> axis2)
        where T1 : notnull
        where T2 : notnull
    {
        ArgumentNullException.ThrowIfNull(axis1);
        ArgumentNullException.ThrowIfNull(axis2);
        return new Grid<GridPoint<T1, T2>>([axis1, axis2], zipped: true, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (g, k) => new GridPoint<T1, T2>(g, k, axis1[k], axis2[k]));
    }

    /// <summary>Pairs 3 axes value by value (point i has value i of every axis), like Python's <c>zip</c>: the axes need equal lengths.</summary>
    /// <typeparam name="T1">The value type of axis 1.</typeparam>
    /// <typeparam name="T2">The value type of axis 2.</typeparam>
    /// <typeparam name="T3">The value type of axis 3.</typeparam>
    /// <param name="axis1">Axis 1.</param>
    /// <param name="axis2">Axis 2.</param>
    /// <param name="axis3">Axis 3.</param>
    /// <exception cref="ArgumentException">The axes differ in length or share a name (the message names them).</exception>
    public static Grid<GridPoint<T1, T2, T3>> Zip<T1, T2, T3>(Axis<T1> axis1, Axis<T2> axis2, Axis<T3> axis3)
        where T1 : notnull
        where T2 : notnull
        where T3 : notnull
    {
        ArgumentNullException.ThrowIfNull(axis1);
        ArgumentNullException.ThrowIfNull(axis2);
        ArgumentNullException.ThrowIfNull(axis3);
        return new Grid<GridPoint<T1, T2, T3>>([axis1, axis2, axis3], zipped: true, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (g, k) => new GridPoint<T1, T2, T3>(g, k, axis1[k], axis2[k], axis3[k]));
    }

    /// <summary>Pairs 4 axes value by value (point i has value i of every axis), like Python's <c>zip</c>: the axes need equal lengths.</summary>
    /// <typeparam name="T1">The value type of axis 1.</typeparam>
    /// <typeparam name="T2">The value type of axis 2.</typeparam>
    /// <typeparam name="T3">The value type of axis 3.</typeparam>
    /// <typeparam name="T4">The value type of axis 4.</typeparam>
    /// <param name="axis1">Axis 1.</param>
    /// <param name="axis2">Axis 2.</param>
    /// <param name="axis3">Axis 3.</param>
    /// <param name="axis4">Axis 4.</param>
    /// <exception cref="ArgumentException">The axes differ in length or share a name (the message names them).</exception>
    public static Grid<GridPoint<T1, T2, T3, T4>> Zip<T1, T2, T3, T4>(Axis<T1> axis1, Axis<T2> axis2, Axis<T3> axis3, Axis<T4> axis4)
        where T1 : notnull
        where T2 : notnull
        where T3 : notnull
        where T4 : notnull
    {
        ArgumentNullException.ThrowIfNull(axis1);
        ArgumentNullException.ThrowIfNull(axis2);
        ArgumentNullException.ThrowIfNull(axis3);
        ArgumentNullException.ThrowIfNull(axis4);
        return new Grid<GridPoint<T1, T2, T3, T4>>([axis1, axis2, axis3, axis4], zipped: true, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (g, k) => new GridPoint<T1, T2, T3, T4>(g, k, axis1[k], axis2[k], axis3[k], axis4[k]));
    }
}
