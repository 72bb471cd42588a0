namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>What cannot cross a process boundary is refused with a clear error before any worker process starts.</summary>
public class ProcessRefusalTests : ProcessTests
{
    private static readonly ParOptions s_processes = new() { Executor = ExecutorOptions.Processes, Workers = 2 };

    [Fact]
    public async Task Map_StreamResult_RefusedNamingTheTypeAndNoProcessStarts()
    {
        var before = Procs.ChildrenOf(Environment.ProcessId).Count;

        var e = await Assert.ThrowsAsync<UnshippableTypeException>(() => Par.Map(new[] { 1, 2, 3 }, static (int x) => (Stream)new MemoryStream(), s_processes));

        Assert.Equal(typeof(Stream), e.Type);
        Assert.Contains("result type 'Stream'", e.Message, StringComparison.Ordinal);
        Assert.Contains("ExecutorOptions.Threads", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Procs.ChildrenOf(Environment.ProcessId).Count);
    }

    [Fact]
    public async Task Map_InputRecordHoldingAStream_RefusedNamingTheMember()
    {
        var before = Procs.ChildrenOf(Environment.ProcessId).Count;

        var e = await Assert.ThrowsAsync<UnshippableTypeException>(() => Par.Map(new[] { new Holder(1, null) }, static (Holder h) => h.Id, s_processes));

        Assert.Equal(typeof(Holder), e.Type);
        Assert.Equal(typeof(Stream), e.OffendingType);
        Assert.Contains("Holder.Log", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Procs.ChildrenOf(Environment.ProcessId).Count);
    }

    [Theory]
    [InlineData(typeof(object))]
    [InlineData(typeof(IShape))]
    [InlineData(typeof(Action))]
    [InlineData(typeof(CancellationToken))]
    [InlineData(typeof(List<Task>))]
    public void Check_UnshippableType_Refused(Type type)
    {
        var check = typeof(ProcessRefusalTests).GetMethod(nameof(MapOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(type);
        var before = Procs.ChildrenOf(Environment.ProcessId).Count;

        var e = Assert.IsType<UnshippableTypeException>(Assert.ThrowsAny<Exception>(() => ((Task)check.Invoke(null, null)!).GetAwaiter().GetResult()));

        Assert.Equal(type, e.Type);
        Assert.Contains("input type", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Procs.ChildrenOf(Environment.ProcessId).Count);
    }

    [Fact]
    public async Task Map_LambdaCapturingAStream_RefusedAndNoProcessStarts()
    {
        using var stream = new MemoryStream();
        var before = Procs.ChildrenOf(Environment.ProcessId).Count;

        await Assert.ThrowsAsync<UnshippableFunctionException>(() => Par.Map(new[] { 1, 2 }, x => x + (int)stream.Length, s_processes));

        Assert.Equal(before, Procs.ChildrenOf(Environment.ProcessId).Count);
    }

    [Fact]
    public async Task Map_NonPositiveItemTimeout_RejectedNamingItBeforeAnyProcessStarts()
    {
        var options = s_processes with { Executor = new ProcessOptions { ItemTimeout = TimeSpan.Zero } };

        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Par.Map(new[] { 1 }, Fns.Square, options));

        Assert.Equal(nameof(ProcessOptions.ItemTimeout), e.ParamName);
        Assert.Empty(Procs.ChildrenOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Map_InitializerThrows_WorkerStartExceptionWithCause()
    {
        var options = s_processes with { Executor = new ProcessOptions { WorkerInitializer = ThrowingInitializer } };

        var e = await Assert.ThrowsAsync<WorkerStartException>(() => Par.Map(Enumerable.Range(0, 10), Fns.Square, options));

        Assert.Contains("WorkerInitializer threw", e.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(e.InnerException);
        Assert.Empty(Procs.ChildrenOf(Environment.ProcessId));
    }

    private static void ThrowingInitializer() => throw new FileNotFoundException("table.bin is missing");

    private static Task<int[]> MapOf<T>() => Par.Map(Array.Empty<T>(), static (T _) => 1, s_processes);

    public sealed record Holder(int Id, Stream? Log);

    public interface IShape
    {
        double Area { get; }
    }
}
