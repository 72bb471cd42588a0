using Parmap;

namespace Parmap.Quickstart;

/// <summary>The quickstart itself: the seed's grid and Monte Carlo, checked and timed. Run by this sample and by <c>parmap demo</c>.</summary>
internal static class QuickstartDemo
{
    /// <summary>Runs both workloads and returns the process exit code (0 when both match their references).</summary>
    public static async Task<int> RunAsync(int? workers, bool processes, string? journal, DirectoryInfo dir, int gridSize, long trials, CancellationToken cancellationToken)
    {
        ParOptions options;
        try
        {
            options = Features.Configure(new ParOptions { Workers = workers }, processes, journal);
        }
        catch (NotSupportedException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        dir.Create();
        Console.WriteLine($"Parmap quickstart on {options.Workers ?? Environment.ProcessorCount} {options.Executor.Name} ({Environment.ProcessorCount} cores); files go to {dir.FullName}");
        Console.WriteLine();
        await MachineLoad.WaitForQuietAsync(cancellationToken);
        bool gridOk;
        try
        {
            gridOk = await SeedGrid.RunAsync(gridSize, options, dir.FullName, cancellationToken);
        }
        catch (RunInterruptedException e)
        {
            // Ctrl-C during a journaled sweep: what finished is saved; the message says how to resume.
            await Console.Error.WriteLineAsync(e.Message);
            return 130;
        }
        Console.WriteLine();
        // The journal is for the long sweep; the two Monte Carlo runs are compared with each other, so both must compute.
        var piOk = await SeedMonteCarlo.RunAsync(trials, options with { Journal = null }, dir.FullName, cancellationToken);
        return gridOk && piOk ? 0 : 1;
    }
}
