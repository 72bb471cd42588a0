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
    /// Counts the items of one map that are running right now: a function wrapped with <see cref="Run{TIn, TOut}"/>
    /// enters and leaves it. When the map has returned, <see cref="Running"/> must be 0: nothing of the map is left
    /// running, whichever threads ran it (lane threads are parked and reused by other maps, so they may still be alive).
    /// </summary>
    public sealed class ActiveItems
    {
        private int _running;

        public int Running => Volatile.Read(ref _running);

        public TOut Run<TIn, TOut>(TIn input, Func<TIn, TOut> f)
        {
            Interlocked.Increment(ref _running);
            try
            {
                return f(input);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
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
