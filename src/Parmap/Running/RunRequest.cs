using Parmap.Executors;

namespace Parmap.Running;

/// <summary>What a caller asks of a run: the inputs, the function, the options and the caller's token.</summary>
/// <param name="Inputs">The inputs, consumed once.</param>
/// <param name="Function">The function.</param>
/// <param name="Options">The options (null already replaced by the defaults).</param>
/// <param name="CancellationToken">The caller's token.</param>
internal sealed record RunRequest<TIn, TOut>(IEnumerable<TIn> Inputs, WorkFunction<TIn, TOut> Function, ParOptions Options, CancellationToken CancellationToken)
{
    /// <summary>The grid when the inputs are the point numbers of a grid sweep (recorded by a journal). The default is none.</summary>
    public Grid? Grid { get; init; }

    /// <summary>
    /// The user's own function (a grid's or a Monte Carlo run's function is Parmap's wrapper around it): per-item costs
    /// are remembered under it between runs, and a journal names it. The default is the method of <see cref="Function"/>.
    /// </summary>
    public System.Reflection.MethodInfo? UserMethod { get; init; }
}
