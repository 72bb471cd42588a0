using Parmap.Advising;
using Parmap.Executors;

namespace Parmap;

public static partial class Par
{
    /// <summary>
    /// Should I parallelize? Times <paramref name="f"/> serially on a sample of the inputs (spread over the input when it is
    /// indexable, else its first items; at most 64 items and about <paramref name="budget"/> of time) and predicts the
    /// serial time, the parallel time and the speedup, with a one-sentence verdict.
    /// </summary>
    /// <remarks>The sample items really run: <paramref name="f"/> should not have side effects that must happen once. A lazy input is enumerated for its first items.</remarks>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="inputs">The inputs the map would run on.</param>
    /// <param name="f">The function.</param>
    /// <param name="options">Workers to predict for; <see langword="null"/> for all cores.</param>
    /// <param name="budget">Time to spend measuring; <see langword="null"/> for one second.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>The measured per-item cost and the prediction.</returns>
    public static Task<Advice> Advise<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, ParOptions? options = null, TimeSpan? budget = null, CancellationToken cancellationToken = default) =>
        AdviseCore(inputs, WorkFunction<TIn, TOut>.From(f), options, budget, cancellationToken);

    /// <inheritdoc cref="Advise{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, TimeSpan?, CancellationToken)"/>
    public static Task<Advice> Advise<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> f, ParOptions? options = null, TimeSpan? budget = null, CancellationToken cancellationToken = default) =>
        AdviseCore(inputs, WorkFunction<TIn, TOut>.From(f), options, budget, cancellationToken);

    private static Task<Advice> AdviseCore<TIn, TOut>(IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, TimeSpan? budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= ParOptions.Default;
        options.Validate();
        var time = budget ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(time, TimeSpan.Zero, nameof(budget));
        var f = function.Async ?? ((x, ct) => new ValueTask<TOut>(function.Sync!(x, ct)));
        return Advisor.AdviseAsync(inputs, f, function.Original.Method, options, time, cancellationToken);
    }
}
