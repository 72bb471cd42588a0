using Parmap.Tests.Executors;

namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>The executor contract (order, errors, retries, outcomes, streams) on real worker processes.</summary>
public sealed class ProcessExecutorContractTests : ExecutorContractTests
{
    protected override ParOptions Options { get; } = new() { Executor = ExecutorOptions.Processes, Workers = 2 };
}

/// <summary>The same contract with small fixed batches: many round trips, retries split across batches.</summary>
public sealed class ProcessExecutorSmallBatchContractTests : ExecutorContractTests
{
    protected override ParOptions Options { get; } = new() { Executor = ExecutorOptions.Processes, Workers = 3, BatchSize = 7 };
}
