namespace Parmap.Remote;

/// <summary>
/// What a remote executor does when a batch cannot simply run where it was sent: the recovery policy, the same for every
/// executor that runs batches elsewhere. The batch runs as ranges, in order, one at a time:
/// <list type="bullet">
/// <item>the worker died (crash, kill, out of memory): the range runs again whole once (maybe it was not its fault), then
/// in halves, again and again, until the item that kills workers is alone and fails by itself;</item>
/// <item>an item ran past its time limit: it fails, the rest of the range goes on;</item>
/// <item>an input cannot be sent: it fails, the positions around it go on;</item>
/// <item>the worker reached its item budget (recycling): the range is cut there, the rest goes later.</item>
/// </list>
/// A pure state machine (no I/O), so that the policy is tested on its own.
/// </summary>
internal sealed class BatchRecovery
{
    private readonly Stack<BatchRange> _pending = new();

    /// <summary>Starts with the whole batch, positions [0, <paramref name="count"/>), as one range.</summary>
    public BatchRecovery(int count)
    {
        _pending.Push(new BatchRange(0, count, 0));
    }

    /// <summary>Positions [0, Ran) have an outcome (a value or an error) once every range is done or the run was cancelled.</summary>
    public int Ran { get; private set; }

    /// <summary>The next range to run, lowest positions first.</summary>
    public bool TryNext(out BatchRange range) => _pending.TryPop(out range);

    /// <summary>Queues <paramref name="range"/> again without running it (its worker was retired first).</summary>
    public void Postpone(BatchRange range) => _pending.Push(range);

    /// <summary>At most <paramref name="room"/> positions of <paramref name="range"/> run now; the rest is queued after them.</summary>
    public BatchRange Cut(BatchRange range, int room)
    {
        if (range.Count <= room)
        {
            return range;
        }
        _pending.Push(range with { Lo = range.Lo + room });
        return range with { Hi = range.Lo + room };
    }

    /// <summary>Positions [Lo, <paramref name="end"/>) ran; an end before Hi means the run was cancelled, so nothing more runs.</summary>
    public void Done(BatchRange range, int end)
    {
        Ran = end;
        if (end < range.Hi)
        {
            _pending.Clear();
        }
    }

    /// <summary>[Lo, <paramref name="at"/>) ran and the item at <paramref name="at"/> ran out of time (the caller fails it); the rest runs on a fresh worker.</summary>
    public void TimedOut(BatchRange range, int at)
    {
        Ran = at + 1;
        if (Ran < range.Hi)
        {
            _pending.Push(new BatchRange(Ran, range.Hi, 0));
        }
    }

    /// <summary>The input at <paramref name="at"/> cannot be sent (the caller fails it): the positions before and after it run without it.</summary>
    public void Unsendable(BatchRange range, int at)
    {
        if (at + 1 < range.Hi)
        {
            _pending.Push(range with { Lo = at + 1 });
        }
        if (at > range.Lo)
        {
            _pending.Push(range with { Hi = at });
        }
        else
        {
            Ran = at + 1;
        }
    }

    /// <summary>
    /// The worker died while running <paramref name="range"/>. True when the item that kills workers is isolated: the
    /// caller fails position <c>range.Lo</c>. Otherwise the range is queued again: whole once, then in halves.
    /// </summary>
    public bool Crashed(BatchRange range)
    {
        if (range.Crashes == 0)
        {
            _pending.Push(range with { Crashes = 1 });
            return false;
        }
        if (range.Count == 1)
        {
            Ran = range.Hi;
            return true;
        }
        var mid = range.Lo + (range.Count / 2);
        _pending.Push(new BatchRange(mid, range.Hi, 1));
        _pending.Push(new BatchRange(range.Lo, mid, 1));
        return false;
    }
}

/// <summary>Positions [Lo, Hi) of a batch; Crashes = how many workers died running exactly this range.</summary>
internal readonly record struct BatchRange(int Lo, int Hi, int Crashes)
{
    public int Count => Hi - Lo;
}
