using System.Runtime.CompilerServices;

namespace Parmap.Executors.Processes;

/// <summary>
/// Where a worker process is in its batch, told to the owner as it goes: the position word (which item runs now) before
/// and after every item, and the finished items' outcomes in Partial frames, at most <see cref="FlushEvery"/> apart (an
/// item that takes that long is sent as soon as it finishes). If the worker dies, the owner has every outcome sent so
/// far and knows which item was running: only that one fails, and only items finished in the last moments before the
/// death (not sent yet) run again.
/// </summary>
internal sealed class BatchProgress(PositionWord? word, Action<long, int, int> sendPartial)
{
    /// <summary>The most finished-but-unsent work a crash can cost (per worker).</summary>
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(2);
    private static readonly long s_flushTicks = (long)(FlushEvery.TotalSeconds * TimeProvider.System.TimestampFrequency);
    private long _batchId;
    private int _sent;
    private int _checkMask;
    private long _lastFlush;

    /// <summary>Positions [0, Sent) were sent in Partial frames; the batch's Result carries the rest.</summary>
    public int Sent => Volatile.Read(ref _sent);

    public void Begin(long batchId, int count)
    {
        _batchId = batchId;
        Volatile.Write(ref _sent, 0);
        // Large batches are of small items: the clock is read every 16th item only.
        _checkMask = count <= 256 ? 0 : 15;
        _lastFlush = TimeProvider.System.GetTimestamp();
        word?.Begin(batchId);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Starting(int position) => word?.Write((2L * position) + 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Finished(int position)
    {
        word?.Write(2L * (position + 1));
        if (((position + 1) & _checkMask) == 0)
        {
            MaybeFlush(position + 1);
        }
    }

    private void MaybeFlush(int end)
    {
        var now = TimeProvider.System.GetTimestamp();
        if (now - _lastFlush < s_flushTicks)
        {
            return;
        }
        _lastFlush = now;
        var from = Volatile.Read(ref _sent);
        if (end > from)
        {
            sendPartial(_batchId, from, end);
            Volatile.Write(ref _sent, end);
        }
    }

    /// <summary>The item loop's hook without an item timeout.</summary>
    public readonly struct Hook(BatchProgress progress) : Executors.IItemHook
    {
        public void Starting(int position) => progress.Starting(position);

        public void Finished(int position) => progress.Finished(position);
    }

    /// <summary>The item loop's hook with an item timeout: the watchdog learns when each item starts, too.</summary>
    public readonly struct WatchedHook(BatchProgress progress, ItemWatchdog watchdog) : Executors.IItemHook
    {
        public void Starting(int position)
        {
            watchdog.Mark(position);
            progress.Starting(position);
        }

        public void Finished(int position) => progress.Finished(position);
    }
}
