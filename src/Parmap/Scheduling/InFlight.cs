using System.Globalization;

using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>
/// The batches the lanes are running, so that a cancelled run can say which items were in flight when the caller
/// cancelled, and how long it then waited for them (a function that does not take the token runs its item to the end).
/// </summary>
internal sealed class InFlight<TIn, TOut>(int lanes, TimeProvider time)
{
    private const int Listed = 10;
    private readonly Batch<TIn, TOut>?[] _running = new Batch<TIn, TOut>?[lanes];
    private readonly Lock _lock = new();
    private long[]? _atCancel;
    private long _cancelledAt;

    public void Started(int lane, Batch<TIn, TOut> batch)
    {
        if ((uint)lane < (uint)_running.Length)
        {
            Volatile.Write(ref _running[lane], batch);
        }
    }

    public void Ended(int lane)
    {
        if ((uint)lane < (uint)_running.Length)
        {
            Volatile.Write(ref _running[lane], null);
        }
    }

    /// <summary>The caller cancelled: remembers the items in flight now.</summary>
    public void Cancelled()
    {
        var items = new List<long>();
        for (var lane = 0; lane < _running.Length; lane++)
        {
            if (Volatile.Read(ref _running[lane]) is { } b)
            {
                for (var p = 0; p < b.Count && p < b.Indices.Length; p++)
                {
                    items.Add(b.Indices[p]);
                }
            }
        }
        lock (_lock)
        {
            _atCancel ??= [.. items.Order()];
            _cancelledAt = time.GetTimestamp();
        }
    }

    /// <summary>The cancellation the run ends with: the caller's token, and which items were in flight and how long the run waited for them.</summary>
    public OperationCanceledException Exception(CancellationToken token)
    {
        long[] items;
        TimeSpan waited;
        lock (_lock)
        {
            items = _atCancel ?? [];
            waited = _cancelledAt == 0 ? TimeSpan.Zero : time.GetElapsedTime(_cancelledAt);
        }
        if (items.Length == 0)
        {
            return new OperationCanceledException("The run was cancelled; no item was running then.", token);
        }
        var list = string.Join(", ", items.Take(Listed).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var more = items.Length > Listed ? string.Create(CultureInfo.InvariantCulture, $" and {items.Length - Listed:N0} more") : "";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"The run was cancelled while items {list}{more} were in flight; it waited {waited.TotalSeconds:0.0##} s for them to end. Their results are discarded. A function that takes the run's CancellationToken ((x, ct) => ...) and checks it stops at once; one that does not runs its item to the end.");
        return new OperationCanceledException(message, token);
    }
}
