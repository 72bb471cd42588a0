using System.Collections.Concurrent;

namespace Parmap.Tests;

/// <summary>Helpers shared by the tests.</summary>
internal static class TestSupport
{
    /// <summary>A lazy sequence that is not a list: forces the enumerator path of the scheduler.</summary>
    public static IEnumerable<int> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    /// <summary>An endless lazy sequence that counts how many items were pulled.</summary>
    public static IEnumerable<long> Endless(StrongBox<long> pulled)
    {
        for (long i = 0; ; i++)
        {
            Interlocked.Increment(ref pulled.Value);
            yield return i;
        }
    }

    /// <summary>
    /// Asserts that none of <paramref name="threads"/> runs anything: each has ended, or is a Parmap lane thread parked
    /// for the next map (blocked, waiting for work). A lane that just finished may take a moment to park: waits up to 10 s.
    /// </summary>
    public static void AssertNoneRunning(IEnumerable<Thread> threads)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var list = threads.Distinct().Where(t => t != Thread.CurrentThread).ToList();
        static bool Idle(Thread t) => !t.IsAlive || (t.Name?.StartsWith("Parmap lane", StringComparison.Ordinal) == true && (t.ThreadState & ThreadState.WaitSleepJoin) != 0);
        while (!list.All(Idle) && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(1);
        }
        Assert.All(list, t => Assert.True(Idle(t), $"thread '{t.Name}' is still running ({t.ThreadState})"));
    }

    /// <summary>Synchronous progress sink (Progress&lt;T&gt; posts asynchronously, which would race the assertions).</summary>
    public sealed class ProgressLog : IProgress<ProgressInfo>
    {
        public ConcurrentQueue<ProgressInfo> Updates { get; } = new();

        public void Report(ProgressInfo value) => Updates.Enqueue(value);
    }

    public sealed class StrongBox<T>
    {
        public T Value = default!;
    }
}
