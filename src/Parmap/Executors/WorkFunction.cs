namespace Parmap.Executors;

/// <summary>
/// The user's function in one uniform shape: exactly one of <see cref="Sync"/> and <see cref="Async"/> is set. Also
/// carries the delegate the user passed (<see cref="Original"/>), which is what an executor that runs the function in
/// another process ships.
/// </summary>
/// <typeparam name="TIn">The input type.</typeparam>
/// <typeparam name="TOut">The result type.</typeparam>
public sealed class WorkFunction<TIn, TOut>
{
    private WorkFunction(Delegate original, Func<TIn, CancellationToken, TOut>? sync, Func<TIn, CancellationToken, ValueTask<TOut>>? async)
    {
        Original = original;
        Sync = sync;
        Async = async;
        Plain = original as Func<TIn, TOut>;
    }

    /// <summary>The delegate the user passed, as passed.</summary>
    public Delegate Original { get; }

    /// <summary>Set for synchronous functions: called directly, no per-item async machinery.</summary>
    public Func<TIn, CancellationToken, TOut>? Sync { get; }

    /// <summary>Set when the user passed a plain <c>Func&lt;TIn, TOut&gt;</c>: called directly, saving the adapter's second delegate call per item.</summary>
    public Func<TIn, TOut>? Plain { get; }

    /// <summary>Set for asynchronous functions.</summary>
    public Func<TIn, CancellationToken, ValueTask<TOut>>? Async { get; }

    /// <summary>Wraps a function of this shape.</summary>
    /// <param name="f">The function.</param>
    public static WorkFunction<TIn, TOut> From(Func<TIn, TOut> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f, (x, _) => f(x), null);
    }

    /// <summary>Wraps a function of this shape.</summary>
    /// <param name="f">The function.</param>
    public static WorkFunction<TIn, TOut> From(Func<TIn, CancellationToken, TOut> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f, f, null);
    }

    /// <summary>Wraps a function of this shape.</summary>
    /// <param name="f">The function.</param>
    public static WorkFunction<TIn, TOut> From(Func<TIn, Task<TOut>> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f, null, (x, _) => new ValueTask<TOut>(f(x)));
    }

    /// <summary>Wraps a function of this shape.</summary>
    /// <param name="f">The function.</param>
    public static WorkFunction<TIn, TOut> From(Func<TIn, CancellationToken, Task<TOut>> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f, null, (x, ct) => new ValueTask<TOut>(f(x, ct)));
    }

    /// <summary>Wraps a function of this shape.</summary>
    /// <param name="f">The function.</param>
    public static WorkFunction<TIn, TOut> From(Func<TIn, ValueTask<TOut>> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f, null, (x, _) => f(x));
    }

    /// <summary>Wraps a function of this shape.</summary>
    /// <param name="f">The function.</param>
    public static WorkFunction<TIn, TOut> From(Func<TIn, CancellationToken, ValueTask<TOut>> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f, null, f);
    }
}
