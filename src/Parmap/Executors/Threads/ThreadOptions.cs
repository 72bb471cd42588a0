using Parmap.Executors;
using Parmap.Executors.Threads;

namespace Parmap;

/// <summary>
/// Run items on dedicated threads of this process: the cheapest executor, and the default. Use it for ordinary,
/// thread-safe code; the function must be safe to call from several threads at once.
/// </summary>
public sealed record ThreadOptions : ExecutorOptions
{
    /// <summary>The thread executor.</summary>
    public static ThreadOptions Default { get; } = new();

    /// <inheritdoc/>
    public override string Name => "threads";

    /// <inheritdoc/>
    public override bool InProcess => true;

    /// <inheritdoc/>
    public override IExecutor CreateExecutor(int workers) => new ThreadExecutor(workers);
}
