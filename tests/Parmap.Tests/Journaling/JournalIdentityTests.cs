using Parmap.Journaling;

namespace Parmap.Tests.Journaling;

public class JournalIdentityTests
{
    private static int Twice(int x) => 2 * x;

    private static int Thrice(int x) => 3 * x;

    private static Func<int, int> Scaled(int factor) => x => x * factor;

    [Fact]
    public void Of_SameMethodTwice_IsEqual()
    {
        Assert.Equal(JournalIdentity.Of(new Func<int, int>(Twice)), JournalIdentity.Of(new Func<int, int>(Twice)));
    }

    [Fact]
    public void Of_DifferentCode_Differs()
    {
        Assert.NotEqual(JournalIdentity.Of(new Func<int, int>(Twice)), JournalIdentity.Of(new Func<int, int>(Thrice)));
    }

    [Fact]
    public void Of_SameLambdaDifferentCapturedValue_Differs()
    {
        Assert.Equal(JournalIdentity.Of(Scaled(2)), JournalIdentity.Of(Scaled(2)));
        Assert.NotEqual(JournalIdentity.Of(Scaled(2)), JournalIdentity.Of(Scaled(3)));
    }

    [Fact]
    public void Of_CapturedArrayContentChanged_Differs()
    {
        var weights = new double[] { 1, 2, 3 };
        Func<int, double> f = i => weights[i];
        var before = JournalIdentity.Of(f);
        weights[1] = 2.5;

        Assert.NotEqual(before, JournalIdentity.Of(f));
    }

    [Fact]
    public void Of_CalleeInSameAssemblyIsPartOfIdentity()
    {
        // Two lambdas with the same shape that call different helpers.
        Func<int, int> a = x => Twice(x);
        Func<int, int> b = x => Thrice(x);

        Assert.NotEqual(JournalIdentity.Of(a), JournalIdentity.Of(b));
    }

    [Fact]
    public void Of_AsyncLambdas_DifferByTheirBody()
    {
        Func<int, Task<int>> a = async x => { await Task.Yield(); return x + 1; };
        Func<int, Task<int>> b = async x => { await Task.Yield(); return x + 2; };

        Assert.NotEqual(JournalIdentity.Of(a), JournalIdentity.Of(b));
    }

    [Fact]
    public void Of_CyclicCapturedObject_Terminates()
    {
        var node = new Node();
        node.Next = node;
        Func<int, int> f = x => node.Next == node ? x : 0;

        Assert.Equal(JournalIdentity.Of(f), JournalIdentity.Of(f));
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }
}
