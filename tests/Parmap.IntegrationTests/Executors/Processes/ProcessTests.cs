namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>
/// Base of the tests that count this process's children: each starts with no worker process alive, since maps keep their
/// workers warm for the next map (<see cref="ProcessOptions.ReuseWorkers"/>) and an earlier test's would be counted.
/// </summary>
public abstract class ProcessTests
{
    protected ProcessTests()
    {
        ProcessOptions.StopIdleWorkersAsync().GetAwaiter().GetResult();
    }
}
