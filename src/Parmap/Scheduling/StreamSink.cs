using System.Runtime.ExceptionServices;

using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>
/// Hands results to one reader, in input order or as they complete, while at most <c>window</c> items are taken
/// from the input and not yet read. Lanes wait for room; the reader waits for results.
/// </summary>
/// <remarks>
/// In input order, every taken index lies in [read, read + window), so a ring of <c>window</c> slots indexed by
/// index % window holds the reorder buffer without collisions.
/// </remarks>
internal sealed class StreamSink<TIn, TOut> : ResultSink<TIn, TOut>
{
    private readonly Lock _lock = new();
    private readonly bool _ordered;
    private readonly int _window;
    private readonly Outcome<TOut>[]? _ring;
    private readonly bool[]? _ready;
    private readonly Queue<Outcome<TOut>>? _queue;
    private long _next;
    private long _reserved;
    private bool _completed;
    private Exception? _error;
    private TaskCompletionSource? _dataWaiter;
    private TaskCompletionSource? _roomWaiter;

    public StreamSink(bool ordered, int window)
    {
        _ordered = ordered;
        _window = window;
        if (ordered)
        {
            _ring = new Outcome<TOut>[window];
            _ready = new bool[window];
        }
        else
        {
            _queue = new Queue<Outcome<TOut>>();
        }
    }

    public override async ValueTask<bool> ReserveAsync(int items, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_completed || cancellationToken.IsCancellationRequested)
                {
                    return false;
                }
                if (_reserved + items <= _window)
                {
                    _reserved += items;
                    return true;
                }
                _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _roomWaiter.Task;
            }
            try
            {
                if (Lane.OnDedicatedThread)
                {
                    wait.Wait(cancellationToken);
                }
                else
                {
                    await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    public override void Unreserve(int items) => Release(items);

    public override void DeliverValues(Batch<TIn, TOut> batch)
    {
        lock (_lock)
        {
            for (var p = 0; p < batch.Ran; p++)
            {
                if (batch.Errors[p] is null)
                {
                    Add(new Outcome<TOut>(batch.Indices[p], batch.Values[p], null));
                }
            }
            WakeReader();
        }
    }

    public override void DeliverFailure(ItemFailedException failure)
    {
        lock (_lock)
        {
            Add(new Outcome<TOut>(failure.Index, default!, failure));
            WakeReader();
        }
    }

    /// <summary>Ends the stream; <paramref name="error"/> (if any) is thrown to the reader after the results it already has.</summary>
    public void Complete(Exception? error)
    {
        TaskCompletionSource? room;
        lock (_lock)
        {
            _completed = true;
            _error ??= error;
            WakeReader();
            room = _roomWaiter;
            _roomWaiter = null;
        }
        room?.TrySetResult();
    }

    /// <summary>Moves the results ready to read into <paramref name="into"/>; false when the stream has ended. The caller calls <see cref="Release"/> once it has yielded them.</summary>
    public async ValueTask<bool> ReadAsync(List<Outcome<TOut>> into, CancellationToken cancellationToken)
    {
        into.Clear();
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_ordered)
                {
                    while (_ready![_next % _window])
                    {
                        var slot = (int)(_next % _window);
                        into.Add(_ring![slot]);
                        _ring[slot] = default;
                        _ready[slot] = false;
                        _next++;
                    }
                }
                else
                {
                    while (_queue!.TryDequeue(out var o))
                    {
                        into.Add(o);
                    }
                }
                if (into.Count > 0)
                {
                    return true;
                }
                if (_completed)
                {
                    if (_error is not null)
                    {
                        ExceptionDispatchInfo.Throw(_error);
                    }
                    return false;
                }
                cancellationToken.ThrowIfCancellationRequested();
                _dataWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _dataWaiter.Task;
            }
            // The token wakes the reader through its own waiter, whose continuations never run inline: the thread that
            // cancels (often a worker, inside its item) must go on at once to cancel the run's lanes, not first carry
            // the reader's unwinding on its stack while the other lanes keep taking items.
            using (cancellationToken.UnsafeRegister(static state => ((StreamSink<TIn, TOut>)state!).WakeReaderLocked(), this))
            {
                await wait.ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Frees room for <paramref name="items"/> more inputs.</summary>
    public void Release(int items)
    {
        TaskCompletionSource? room;
        lock (_lock)
        {
            _reserved -= items;
            room = _roomWaiter;
            _roomWaiter = null;
        }
        room?.TrySetResult();
    }

    private void Add(Outcome<TOut> outcome)
    {
        if (_ordered)
        {
            var slot = (int)(outcome.Index % _window);
            _ring![slot] = outcome;
            _ready![slot] = true;
        }
        else
        {
            _queue!.Enqueue(outcome);
        }
    }

    private void WakeReaderLocked()
    {
        lock (_lock)
        {
            WakeReader();
        }
    }

    private void WakeReader()
    {
        var reader = _dataWaiter;
        _dataWaiter = null;
        reader?.TrySetResult();
    }
}
