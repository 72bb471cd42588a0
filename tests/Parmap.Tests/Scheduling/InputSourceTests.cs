using System.Collections.ObjectModel;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using Parmap.Executors;
using Parmap.Scheduling;

namespace Parmap.Tests.Scheduling;

public class InputSourceTests
{
    public static TheoryData<string> Kinds => ["array", "list", "readonly-list", "ilist", "enumerable"];

    [Property(MaxTest = 100)]
    public Property Take_AnyBatchSizes_EveryInputOnceInOrder(NonNegativeInt length, PositiveInt[] sizes)
    {
        var n = length.Get % 3000;
        var ok = true;
        foreach (var kind in Kinds)
        {
            var source = Create(kind, n);
            var seen = new List<(long Index, int Input)>();
            var batch = new Batch<int, int>(1);
            for (var k = 0; ; k++)
            {
                var want = sizes.Length == 0 ? 7 : (sizes[k % sizes.Length].Get % 500) + 1;
                batch.Reset(want);
                var got = source.Take(batch, want);
                if (got == 0)
                {
                    break;
                }
                ok &= got <= want && batch.Count == got && batch.Contiguous && batch.Indices[0] == seen.Count;
                for (var p = 0; p < got; p++)
                {
                    seen.Add((batch.Indices[p], batch.Inputs[p]));
                }
            }
            ok &= seen.Count == n && seen.Select((s, i) => s.Index == i && s.Input == i * 3).All(x => x) && source.Taken == n;
            ok &= source.Count is null ? kind == "enumerable" : source.Count == n;
        }
        return ok.ToProperty();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Take_FromFourThreads_EveryInputExactlyOnce(string kind)
    {
        // Given a source of 200,000 inputs
        var source = Create(kind, 200_000);
        var taken = new int[200_000];

        // When four threads take batches of different sizes at the same time
        Parallel.For(0, 4, t =>
        {
            var batch = new Batch<int, int>(1);
            while (true)
            {
                var want = 1 + (t * 37);
                batch.Reset(want);
                var got = source.Take(batch, want);
                if (got == 0)
                {
                    return;
                }
                for (var p = 0; p < got; p++)
                {
                    Interlocked.Increment(ref taken[batch.Indices[p]]);
                    Assert.Equal(batch.Indices[p] * 3, batch.Inputs[p]);
                }
            }
        });

        // Then each was handed out once
        Assert.All(taken, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Take_EnumerableThatThrows_HandsOutWhatItGaveThenEndsWithTheFailure()
    {
        var source = InputSource<int>.Create(Throwing());
        var batch = new Batch<int, int>(4);
        batch.Reset(4);
        Assert.Equal(4, source.Take(batch, 4));
        Assert.Null(source.Failure);

        // The sequence gives 4 and 5, then throws: those two are handed out, the failure is kept, the source ends
        batch.Reset(4);
        Assert.Equal(2, source.Take(batch, 4));
        Assert.Equal([4L, 5], batch.Indices[..2]);
        Assert.Equal([4, 5], batch.Inputs[..2]);
        Assert.Equal(6, source.Taken);
        Assert.True(source.Exhausted);
        Assert.Equal("the input broke", Assert.Throws<InvalidOperationException>(() => source.Failure!.Throw()).Message);
        batch.Reset(4);
        Assert.Equal(0, source.Take(batch, 4));

        static IEnumerable<int> Throwing()
        {
            for (var i = 0; i < 6; i++)
            {
                yield return i;
            }
            throw new InvalidOperationException("the input broke");
        }
    }

    private static InputSource<int> Create(string kind, int n)
    {
        var values = Enumerable.Range(0, n).Select(i => i * 3);
        return kind switch
        {
            "array" => InputSource<int>.Create(values.ToArray()),
            "list" => InputSource<int>.Create(values.ToList()),
            "readonly-list" => InputSource<int>.Create(new ReadOnlyCollection<int>(values.ToList())),
            "ilist" => InputSource<int>.Create(new OnlyIList(values.ToList())),
            _ => InputSource<int>.Create(Lazy(n)),
        };
    }

    private static IEnumerable<int> Lazy(int n)
    {
        for (var i = 0; i < n; i++)
        {
            yield return i * 3;
        }
    }

    /// <summary>A list that implements <see cref="IList{T}"/> but not <see cref="IReadOnlyList{T}"/>.</summary>
    private sealed class OnlyIList(List<int> inner) : IList<int>
    {
        public int Count => inner.Count;

        public bool IsReadOnly => true;

        public int this[int index]
        {
            get => inner[index];
            set => throw new NotSupportedException();
        }

        public int IndexOf(int item) => inner.IndexOf(item);

        public bool Contains(int item) => inner.Contains(item);

        public void CopyTo(int[] array, int arrayIndex) => inner.CopyTo(array, arrayIndex);

        public IEnumerator<int> GetEnumerator() => inner.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => inner.GetEnumerator();

        public void Insert(int index, int item) => throw new NotSupportedException();

        public void RemoveAt(int index) => throw new NotSupportedException();

        public void Add(int item) => throw new NotSupportedException();

        public void Clear() => throw new NotSupportedException();

        public bool Remove(int item) => throw new NotSupportedException();
    }
}
