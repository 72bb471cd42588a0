namespace Parmap.Tests.Executors;

public sealed class ThreadExecutorContractTests : ExecutorContractTests
{
    protected override ParOptions Options { get; } = new() { Workers = 4 };
}

public sealed class ThreadExecutorSmallBatchContractTests : ExecutorContractTests
{
    protected override ParOptions Options { get; } = new() { Workers = 3, BatchSize = 7 };
}
