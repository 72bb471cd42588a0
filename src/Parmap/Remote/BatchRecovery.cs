namespace Parmap.Remote;

/// <summary>
/// What a remote executor does when a batch cannot simply run where it was sent: the recovery policy, the same for every
/// executor that runs batches elsewhere. The batch runs as ranges, in order, one at a time:
/// <list type="bullet">
/// <item>the worker died (crash, kill, out of memory): the outcomes it sent before are kept; when it is known which item
/// was running (the worker's position word), that item fails at once (the scheduler's Retries decide whether it runs
/// again) and the other unfinished positions run on a fresh worker; when it is not known, the unsent rest runs again
/// whole once (maybe it was not its fault), then in halves, until the item that kills workers is alone and fails;</item>
/// <item>an item ran past its time limit: it fails, the rest of the range goes on;</item>
/// <item>an input cannot be sent: it fails, the positions around it go on;</item>
/// <item>the worker reached its item budget (recycling): the range is cut there, the rest goes later.</item>
/// </list>
/// A pure state machine (no I/O), so that the policy is tested on its own.
/// </summary>
internal sealed class BatchRecovery
{
    private readonly Stack<BatchRange> _pending = new();
    private SortedSet<int>? _failedAhead;

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
        Advance(end);
        if (end < range.Hi)
        {
            _pending.Clear();
        }
    }

    /// <summary>[Lo, <paramref name="at"/>) ran and the item at <paramref name="at"/> ran out of time (the caller fails it); the rest runs on a fresh worker.</summary>
    public void TimedOut(BatchRange range, int at)
    {
        Advance(at + 1);
        if (at + 1 < range.Hi)
        {
            _pending.Push(new BatchRange(at + 1, range.Hi, 0));
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
            (_failedAhead ??= []).Add(at);
        }
        else
        {
            Advance(at + 1);
        }
    }

    /// <summary>
    /// The worker died while running <paramref name="range"/>, after sending the outcomes of [Lo, <paramref name="received"/>).
    /// <paramref name="running"/> is the position whose item was running, when known: it is the one that failed; the
    /// caller fails it (the returned position), and the positions it had not sent, before and after it, run again. When
    /// it is not known (the worker died between items or before its first), the unsent rest runs again: whole once, then
    /// in halves, until the item that kills workers is alone, which the caller then fails (the returned position).
    /// </summary>
    public int? Crashed(BatchRange range, int received, int? running)
    {
        Advance(received);
        if (running is { } k && k >= received && k < range.Hi)
        {
            if (k + 1 < range.Hi)
            {
                _pending.Push(new BatchRange(k + 1, range.Hi, 0));
            }
            (_failedAhead ??= []).Add(k);
            if (k > received)
            {
                _pending.Push(new BatchRange(received, k, 0));
            }
            else
            {
                Advance(k);
            }
            return k;
        }
        var rest = range with { Lo = received };
        if (rest.Count == 0)
        {
            // Every outcome arrived before the worker died.
            return null;
        }
        if (rest.Crashes == 0)
        {
            _pending.Push(rest with { Crashes = 1 });
            return null;
        }
        if (rest.Count == 1)
        {
            Advance(rest.Hi);
            return rest.Lo;
        }
        var mid = rest.Lo + (rest.Count / 2);
        _pending.Push(new BatchRange(mid, rest.Hi, 1));
        _pending.Push(new BatchRange(rest.Lo, mid, 1));
        return null;
    }

    /// <summary>Positions before <paramref name="end"/> have outcomes, and so do the failed ones right after them.</summary>
    private void Advance(int end)
    {
        Ran = Math.Max(Ran, end);
        while (_failedAhead is { Count: > 0 } failed && failed.Remove(Ran))
        {
            Ran++;
        }
    }
}

/// <summary>Positions [Lo, Hi) of a batch; Crashes = how many workers died running exactly this range.</summary>
internal readonly record struct BatchRange(int Lo, int Hi, int Crashes)
{
    public int Count => Hi - Lo;
}
