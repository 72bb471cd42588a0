using System.Runtime.CompilerServices;

using Parmap.Executors;
using Parmap.Running;

namespace Parmap;

// Maps over grids: the same scheduler as any map, with results that keep the grid's axes. Async functions take the
// ValueTask shape only, so that an async lambda binds without ambiguity.
public static partial class Par
{
    /// <summary>Runs <paramref name="f"/> on every point of <paramref name="grid"/>, on all cores, and returns the results with their axes.</summary>
    /// <typeparam name="TPoint">The point type: the value itself for a one-axis grid, a <see cref="GridPoint{T1, T2}"/> (or wider) for several axes.</typeparam>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="grid">The grid, e.g. <c>Grid.Of(Axis.Linspace("alpha", 0, 1, 1000), Axis.Linspace("beta", 0, 1, 1000))</c>.</param>
    /// <param name="f">The model; it must be safe to call from several threads at once.</param>
    /// <param name="options">How to run; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One result per point, in point order, with the axes: lookups, slices, CSV and Parquet.</returns>
    /// <exception cref="ItemFailedException">A point failed (after its retries): carries the point's index and the point.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [OverloadResolutionPriority(2)]
    public static Task<GridResult<TOut>> Map<TPoint, TOut>(Grid<TPoint> grid, Func<TPoint, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapGridCore(grid, WorkFunction<TPoint, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TPoint, TOut}(Grid{TPoint}, Func{TPoint, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(2)]
    public static Task<GridResult<TOut>> Map<TPoint, TOut>(Grid<TPoint> grid, Func<TPoint, CancellationToken, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapGridCore(grid, WorkFunction<TPoint, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TPoint, TOut}(Grid{TPoint}, Func{TPoint, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(2)]
    public static Task<GridResult<TOut>> Map<TPoint, TOut>(Grid<TPoint> grid, Func<TPoint, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapGridCore(grid, WorkFunction<TPoint, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TPoint, TOut}(Grid{TPoint}, Func{TPoint, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(2)]
    public static Task<GridResult<TOut>> Map<TPoint, TOut>(Grid<TPoint> grid, Func<TPoint, CancellationToken, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapGridCore(grid, WorkFunction<TPoint, TOut>.From(f), options, cancellationToken);

    /// <summary>Synchronous twin of <c>Map</c> over a grid: blocks until every result is in.</summary>
    /// <inheritdoc cref="Map{TPoint, TOut}(Grid{TPoint}, Func{TPoint, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(2)]
    public static GridResult<TOut> MapSync<TPoint, TOut>(Grid<TPoint> grid, Func<TPoint, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapGridCore(grid, WorkFunction<TPoint, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="MapSync{TPoint, TOut}(Grid{TPoint}, Func{TPoint, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(2)]
    public static GridResult<TOut> MapSync<TPoint, TOut>(Grid<TPoint> grid, Func<TPoint, CancellationToken, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapGridCore(grid, WorkFunction<TPoint, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    private static async Task<GridResult<TOut>> MapGridCore<TPoint, TOut>(Grid<TPoint> grid, WorkFunction<TPoint, TOut> function, ParOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grid);
        options ??= ParOptions.Default;
        var run = options.Executor?.InProcess == true && options.Journal is null
            ? await Runs.ToArrayAsync(new RunRequest<TPoint, TOut>(grid, function, options, cancellationToken)).ConfigureAwait(false)
            : await Runs.ToArrayAsync(new RunRequest<int, TOut>(Enumerable.Range(0, grid.Count), ByIndex(grid, function), options, cancellationToken) { Grid = grid, UserMethod = function.Original.Method }).ConfigureAwait(false);
        if (run.Failures.Count > 0)
        {
            throw new ItemsFailedException(run.Failures, run.Values.Length);
        }
        return new GridResult<TOut>(grid, run.Values, run.Report);
    }

    /// <summary>
    /// Outside this process (and into a journal), points travel as their index and are rebuilt from the grid, which is shipped
    /// once with the function and so is part of its identity: an int is a few bytes, and a point (which refers to its grid
    /// for lookups by axis name) is not plain data.
    /// </summary>
    private static WorkFunction<int, TOut> ByIndex<TPoint, TOut>(Grid<TPoint> grid, WorkFunction<TPoint, TOut> function)
    {
        // The wrappers run once per point, in fresh worker processes too: compiled optimized at once rather than tiered.
        if (function.Sync is { } sync)
        {
            return WorkFunction<int, TOut>.From([MethodImpl(MethodImplOptions.AggressiveOptimization)] (int k, CancellationToken ct) => sync(grid[k], ct));
        }
        var async = function.Async!;
        return WorkFunction<int, TOut>.From([MethodImpl(MethodImplOptions.AggressiveOptimization)] (int k, CancellationToken ct) => async(grid[k], ct));
    }
}
