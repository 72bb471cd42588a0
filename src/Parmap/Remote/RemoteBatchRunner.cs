using MessagePack;

using Parmap.Executors;
using Parmap.Shipping;

namespace Parmap.Remote;

/// <summary>
/// The receiving end of a remote executor for one function (in a worker process, on a cluster node): reads a batch's
/// inputs into a <see cref="Batch{TIn, TOut}"/>, runs it with the same <see cref="LocalBatchRunner{TIn, TOut}"/> as the
/// thread executor, and writes the results back. Created from the shipped function, whose types it learns at run time.
/// </summary>
internal sealed class RemoteBatchRunner<TIn, TOut> : IRemoteBatchRunner
{
    private readonly WorkFunction<TIn, TOut> _function;
    private readonly LocalBatchRunner<TIn, TOut> _local;

    public RemoteBatchRunner(Delegate function, int shape)
    {
        _function = ShippedFunction.Rebuild<TIn, TOut>(function, shape);
        _local = new LocalBatchRunner<TIn, TOut>(_function);
    }

    /// <summary>The batch being run (positions [0, Count)).</summary>
    public Batch<TIn, TOut> Batch { get; } = new(16);

    public void ReadInputs(ref MessagePackReader inputs, int count) => BatchCodec<TIn, TOut>.ReadInputs(ref inputs, Batch, count);

    public int Run<THook>(THook hook, CancellationToken cancellationToken)
        where THook : struct, IItemHook
    {
        var run = _local.RunAsync(Batch, hook, cancellationToken);
        if (!run.IsCompletedSuccessfully)
        {
            run.AsTask().GetAwaiter().GetResult();
        }
        return Batch.Ran;
    }

    public void WriteResults(ref MessagePackWriter writer, int from, int to) => BatchCodec<TIn, TOut>.WriteResults(ref writer, Batch, from, to);

    public int RunOn(ParOptions options, CancellationToken cancellationToken)
    {
        var positions = Enumerable.Range(0, Batch.Count).Where(p => Batch.Errors[p] is null).ToArray();
        var inputs = positions.Select(p => Batch.Inputs[p]).ToArray();
        var request = new Running.RunRequest<TIn, TOut>(inputs, _function, options with { ErrorPolicy = ErrorPolicy.Collect }, cancellationToken);
        var run = Running.Runs.ToArrayAsync(request).GetAwaiter().GetResult();
        for (var k = 0; k < positions.Length; k++)
        {
            Batch.Values[positions[k]] = run.Values[k];
        }
        foreach (var failure in run.Failures)
        {
            Batch.SetError(positions[failure.Index], failure.InnerException ?? failure);
        }
        Batch.Ran = Batch.Count;
        return Batch.Count;
    }

    public void FailUnwritableResults(int from, int to) => BatchCodec<TIn, TOut>.FailUnwritableResults(Batch, from, to);
}

/// <summary>A <see cref="RemoteBatchRunner{TIn, TOut}"/> seen without its types: what a worker holds per opened function.</summary>
internal interface IRemoteBatchRunner
{
    /// <summary>Reads <paramref name="count"/> inputs into the batch.</summary>
    void ReadInputs(ref MessagePackReader inputs, int count);

    /// <summary>Runs the batch on this thread, telling <paramref name="hook"/> which position starts; returns the positions run.</summary>
    int Run<THook>(THook hook, CancellationToken cancellationToken)
        where THook : struct, IItemHook;

    /// <summary>Runs the batch as a map with <paramref name="options"/> (a node's own worker processes); returns the positions run.</summary>
    int RunOn(ParOptions options, CancellationToken cancellationToken);

    /// <summary>Writes the outcomes of positions [<paramref name="from"/>, <paramref name="to"/>); throws when a value cannot be serialized (see <see cref="FailUnwritableResults"/>).</summary>
    void WriteResults(ref MessagePackWriter writer, int from, int to);

    /// <summary>Fails the items of [<paramref name="from"/>, <paramref name="to"/>) whose result cannot be serialized, so that <see cref="WriteResults"/> succeeds.</summary>
    void FailUnwritableResults(int from, int to);

    /// <summary>Creates the runner of <paramref name="function"/> (of the given shape), for its input and result types.</summary>
    static IRemoteBatchRunner Create(Delegate function, int shape)
    {
        var (tin, tout) = ShippedFunction.TypesOf(function, shape);
        var type = typeof(RemoteBatchRunner<,>).MakeGenericType(tin, tout);
        try
        {
            return (IRemoteBatchRunner)Activator.CreateInstance(type, function, shape)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }
}
