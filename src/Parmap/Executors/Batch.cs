namespace Parmap.Executors;

/// <summary>
/// A unit of work handed to an executor: (index, input) pairs in, a value or an error per position out.
/// Each lane owns and reuses its batches, so the steady state allocates nothing.
/// </summary>
/// <typeparam name="TIn">The input type.</typeparam>
/// <typeparam name="TOut">The result type.</typeparam>
public sealed class Batch<TIn, TOut>
{
    /// <summary>Creates an empty batch with room for <paramref name="capacity"/> items.</summary>
    /// <param name="capacity">Initial room; <see cref="Reset"/> grows it.</param>
    public Batch(int capacity)
    {
        Resize(Math.Max(1, capacity));
    }

    /// <summary>Input index of each position.</summary>
    public long[] Indices { get; private set; } = [];

    /// <summary>Input of each position.</summary>
    public TIn[] Inputs { get; private set; } = [];

    /// <summary>Value of each position that succeeded (written by the executor).</summary>
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

    /// <summary>
    /// Time the batch's items took where they ran, when the executor measures it there (a worker process, a cluster node):
    /// the report tells it from the time batches spend travelling. The default is zero: the scheduler's own measurement of the batch.
    /// </summary>
    public TimeSpan ItemTime { get; set; }

    /// <summary>Time the thread running the items waited for a CPU while it had work, when the executor measures it where they ran. The default is zero.</summary>
    public TimeSpan CpuWait { get; set; }

    /// <summary>True when Indices[k] == Indices[0] + k for every position.</summary>
    public bool Contiguous { get; set; }

    /// <summary>Positions the arrays hold.</summary>
    public int Capacity => Inputs.Length;

    /// <summary>Empties the batch for reuse, making room for <paramref name="capacity"/> items.</summary>
    /// <param name="capacity">Positions needed.</param>
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
        ItemTime = TimeSpan.Zero;
        CpuWait = TimeSpan.Zero;
    }

    /// <summary>Records that the item at <paramref name="position"/> failed with <paramref name="error"/>.</summary>
    /// <param name="position">The position in the batch.</param>
    /// <param name="error">The item's error (the user's exception, or why the executor could not run it).</param>
    public void SetError(int position, Exception error)
    {
        if (Errors[position] is null)
        {
            FailedCount++;
        }
        Errors[position] = error;
    }

    /// <summary>Forgets the error recorded at <paramref name="position"/> (the item did not run after all, or a retry succeeded).</summary>
    /// <param name="position">The position in the batch.</param>
    public void ClearError(int position)
    {
        if (Errors[position] is not null)
        {
            Errors[position] = null;
            FailedCount--;
        }
    }

    private void Resize(int capacity)
    {
        Indices = new long[capacity];
        Inputs = new TIn[capacity];
        Values = new TOut[capacity];
        Errors = new Exception?[capacity];
    }
}
