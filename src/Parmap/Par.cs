using System.Runtime.CompilerServices;

using Parmap.Executors;
using Parmap.Running;

namespace Parmap;

/// <summary>
/// Runs a function over many inputs on every core: <c>double[] ys = await Par.Map(xs, x => Model(x));</c>
/// Results come back in input order; failures name the failing input; every run leaves a <see cref="LastReport"/>
/// that says whether parallelism paid.
/// </summary>
/// <remarks>
/// <para>The function may be synchronous or asynchronous (<see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/>)
/// and may take the run's <see cref="CancellationToken"/>.</para>
/// <para>Nesting: a map called from inside another map's function runs serially on the calling worker. The outer map
/// already keeps every core busy, so this neither oversubscribes the machine nor deadlocks.</para>
/// </remarks>
public static partial class Par
{
    /// <summary>The report of the most recently finished run in this process (any thread), or <see langword="null"/> before the first.</summary>
    /// <remarks>For the report of one particular run use <c>MapOutcomes</c>, whose result carries its own report.</remarks>
    public static RunReport? LastReport => Running.LastReport.Value;

    private static async Task<TOut[]> MapCore<TIn, TOut>(IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, CancellationToken cancellationToken)
    {
        var run = await Runs.ToArrayAsync(new RunRequest<TIn, TOut>(inputs, function, options ?? ParOptions.Default, cancellationToken)).ConfigureAwait(false);
        if (run.Failures.Count > 0)
        {
            throw new ItemsFailedException(run.Failures, run.Values.Length);
        }
        return run.Values;
    }

    private static async Task<MapResult<TOut>> MapOutcomesCore<TIn, TOut>(IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, CancellationToken cancellationToken)
    {
        var run = await Runs.ToArrayAsync(new RunRequest<TIn, TOut>(inputs, function, Collecting(options), cancellationToken)).ConfigureAwait(false);
        var outcomes = new Outcome<TOut>[run.Values.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = new Outcome<TOut>(i, run.Values[i], null);
        }
        foreach (var failure in run.Failures)
        {
            outcomes[failure.Index] = new Outcome<TOut>(failure.Index, default!, failure);
        }
        return new MapResult<TOut>(outcomes, run.Failures, run.Report);
    }

    /// <summary>The options of an outcome-returning call: it reports failures as outcomes, so it always collects them.</summary>
    private static ParOptions Collecting(ParOptions? options) => (options ?? ParOptions.Default) with { ErrorPolicy = ErrorPolicy.Collect };

    private static IAsyncEnumerable<Outcome<TOut>> StreamCore<TIn, TOut>(IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, CancellationToken cancellationToken) =>
        Runs.StreamAsync(new RunRequest<TIn, TOut>(inputs, function, options ?? ParOptions.Default, cancellationToken));

    /// <summary>A stream of values for Parmap's own entry points (Monte Carlo), which need a <see cref="RunRequest{TIn, TOut}"/>'s extra settings.</summary>
    internal static IAsyncEnumerable<TOut> Stream<TIn, TOut>(RunRequest<TIn, TOut> request) => ValuesOf(Runs.StreamAsync(request), request.CancellationToken);

    private static async IAsyncEnumerable<TOut> ValuesOf<TOut>(IAsyncEnumerable<Outcome<TOut>> outcomes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ItemFailedException>? failures = null;
        long count = 0;
        await foreach (var outcome in outcomes.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (outcome.Error is null)
            {
                yield return outcome.Value;
            }
            else
            {
                (failures ??= []).Add(outcome.Error);
            }
        }
        if (failures is not null)
        {
            throw new ItemsFailedException([.. failures.OrderBy(f => f.Index)], count);
        }
    }
}
