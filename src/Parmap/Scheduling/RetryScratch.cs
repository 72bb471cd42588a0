using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>Per-lane buffers for retries, allocated only when something fails: the retry batch, and the attempts per position of the original batch.</summary>
internal sealed class RetryScratch<TIn, TOut>
{
    public Batch<TIn, TOut> Batch { get; } = new(16);

    /// <summary>For each position of the retry batch, its position in the original batch.</summary>
    public int[] Positions { get; private set; } = [];

    /// <summary>Attempts so far of each position of the original batch (0 = not retried).</summary>
    public int[] Attempts { get; private set; } = [];

    public void Begin(int count)
    {
        if (Positions.Length < count)
        {
            Positions = new int[count];
            Attempts = new int[count];
        }
        Array.Clear(Attempts, 0, count);
    }

    public int AttemptsOf(int position) => Math.Max(1, Attempts[position]);
}
