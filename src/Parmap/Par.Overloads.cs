using System.Runtime.CompilerServices;

using Parmap.Executors;

namespace Parmap;

// The overload ladder: every public shape of every entry point, each one line into one private implementation.
// Task-returning shapes carry a higher OverloadResolutionPriority so that an async lambda (which fits both Task and
// ValueTask delegates) binds to Task; a ValueTask-returning method or delegate still binds to its own overload.
public static partial class Par
{
    /// <summary>Runs <paramref name="f"/> on every input, on all cores, and returns the results in input order.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="inputs">The inputs; consumed once, lazily. Arrays and lists are split without locking.</param>
    /// <param name="f">The function; it must be safe to call from several threads at once.</param>
    /// <param name="options">How to run; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the run: no new items start, the token reaches <paramref name="f"/> where it accepts one.</param>
    /// <returns>One result per input, in input order.</returns>
    /// <exception cref="ItemFailedException">An item failed (after its retries) under <see cref="ErrorPolicy.Stop"/>: carries the item's index and input, with the original exception inside.</exception>
    /// <exception cref="ItemsFailedException">Items failed under <see cref="ErrorPolicy.Collect"/>: lists every failure.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <summary>Synchronous twin of <c>Map</c> for code that is not async: blocks until every result is in.</summary>
    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static TOut[] MapSync<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="MapSync{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static TOut[] MapSync<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="MapSync{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static TOut[] MapSync<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="MapSync{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static TOut[] MapSync<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="MapSync{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static TOut[] MapSync<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="MapSync{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static TOut[] MapSync<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs every item whatever fails (<see cref="ErrorPolicy.Collect"/>) and returns each item's value or error, in input order, with the run's report.</summary>
    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static Task<MapResult<TOut>> MapOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapOutcomesCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="MapOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static Task<MapResult<TOut>> MapOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapOutcomesCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="MapOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static Task<MapResult<TOut>> MapOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapOutcomesCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="MapOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static Task<MapResult<TOut>> MapOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapOutcomesCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="MapOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static Task<MapResult<TOut>> MapOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapOutcomesCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <inheritdoc cref="MapOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static Task<MapResult<TOut>> MapOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        MapOutcomesCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken);

    /// <summary>Streams the results while the inputs are consumed lazily: in input order, or as completed with <see cref="ResultOrder.Completion"/>.</summary>
    /// <remarks>At most <see cref="ParOptions.MaxInFlight"/> inputs are taken but not yet read, so an endless input works and memory stays bounded.
    /// Stopping the enumeration stops the run; nothing is left running once the enumerator is disposed.
    /// Under <see cref="ErrorPolicy.Collect"/> failed items are skipped and reported at the end as <see cref="ItemsFailedException"/>.</remarks>
    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<TOut> Stream<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        ValuesOf(StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken), cancellationToken);

    /// <inheritdoc cref="Stream{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<TOut> Stream<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        ValuesOf(StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken), cancellationToken);

    /// <inheritdoc cref="Stream{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TOut> Stream<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        ValuesOf(StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken), cancellationToken);

    /// <inheritdoc cref="Stream{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TOut> Stream<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        ValuesOf(StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken), cancellationToken);

    /// <inheritdoc cref="Stream{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<TOut> Stream<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        ValuesOf(StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken), cancellationToken);

    /// <inheritdoc cref="Stream{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<TOut> Stream<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        ValuesOf(StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), options, cancellationToken), cancellationToken);

    /// <summary>Streams each item's outcome (index, value or error) while the inputs are consumed lazily; every item runs whatever fails (<see cref="ErrorPolicy.Collect"/>, like <c>MapOutcomes</c>).</summary>
    /// <remarks>A failed item arrives as an outcome whose <see cref="Outcome{T}.Error"/> says what went wrong; the stream goes on.
    /// <see cref="ParOptions.ErrorPolicy"/> is ignored here: to stop at the first failure, use <c>Stream</c>.</remarks>
    /// <inheritdoc cref="Stream{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<Outcome<TOut>> StreamOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), Collecting(options), cancellationToken);

    /// <inheritdoc cref="StreamOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<Outcome<TOut>> StreamOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, TOut> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), Collecting(options), cancellationToken);

    /// <inheritdoc cref="StreamOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<Outcome<TOut>> StreamOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), Collecting(options), cancellationToken);

    /// <inheritdoc cref="StreamOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<Outcome<TOut>> StreamOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, Task<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), Collecting(options), cancellationToken);

    /// <inheritdoc cref="StreamOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<Outcome<TOut>> StreamOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), Collecting(options), cancellationToken);

    /// <inheritdoc cref="StreamOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>
    public static IAsyncEnumerable<Outcome<TOut>> StreamOutcomes<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, ParOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamCore(inputs, WorkFunction<TIn, TOut>.From(f), Collecting(options), cancellationToken);
}
