using Parmap.Executors;

namespace Parmap.Running;

/// <summary>The executor choice "this pool": a value (the pool's id), resolved to the live pool when a map starts.</summary>
/// <param name="PoolId">The pool's id.</param>
/// <param name="Inner">The executor options the pool was started with.</param>
internal sealed record PoolExecutorOptions(long PoolId, ExecutorOptions Inner) : ExecutorOptions
{
    public override string Name => Inner.Name;

    public override bool InProcess => Inner.InProcess;

    public override IExecutor CreateExecutor(int workers) => Pool.Borrow(PoolId, Inner);
}
