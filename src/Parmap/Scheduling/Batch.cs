namespace Parmap.Scheduling;

/// <summary>
/// A unit of work handed to an executor: (index, input) pairs in, (value | error) per position out.
/// Each lane owns and reuses its batches, so the steady state allocates nothing.
/// </summary>
internal sealed class Batch<TIn, TOut>
{
    public Batch(int capacity)
    {
        Resize(Math.Max(1, capacity));
    }

    /// <summary>Input index of each position.</summary>
    public long[] Indices { get; private set; } = [];

    public TIn[] Inputs { get; private set; } = [];

    public TOut[] Values { get; private set; } = [];

    /// <summary>Error per position; null where the item succeeded or did not run.</summary>
    public Exception?[] Errors { get; private set; } = [];

    /// <summary>Number of positions in use.</summary>
    public int Count { get; set; }

    /// <summary>Positions [0, Ran) were run by the executor (a value or an error); the rest were not run because the run was cancelled.</summary>
    public int Ran { get; set; }

    /// <summary>Number of non-null entries in <see cref="Errors"/>.</summary>
    public int FailedCount { get; set; }

    /// <summary>1 for a first try, 2 for the first retry, ...</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>True when Indices[k] == Indices[0] + k for every position.</summary>
    public bool Contiguous { get; set; }

    public int Capacity => Inputs.Length;

    /// <summary>Empties the batch for reuse, making room for <paramref name="capacity"/> items.</summary>
    public void Reset(int capacity)
    {
        if (capacity > Capacity)
        {
            Resize(Math.Max(capacity, Capacity * 2));
        }
        else
        {
            if (FailedCount > 0)
            {
                Array.Clear(Errors, 0, Count);
            }
            // Drop references to the previous batch's inputs and results so the lane does not keep them alive.
            if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<TIn>())
            {
                Array.Clear(Inputs, 0, Count);
            }
            if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<TOut>())
            {
                Array.Clear(Values, 0, Count);
            }
        }
        Count = 0;
        Ran = 0;
        FailedCount = 0;
        Attempt = 1;
        Contiguous = false;
    }

    public void SetError(int position, Exception error)
    {
        if (Errors[position] is null)
        {
            FailedCount++;
        }
        Errors[position] = error;
    }

    private void Resize(int capacity)
    {
        Indices = new long[capacity];
        Inputs = new TIn[capacity];
        Values = new TOut[capacity];
        Errors = new Exception?[capacity];
    }
}
