using System.Globalization;

namespace Parmap.Cluster.Tests;

/// <summary>A fresh directory with the job directory and the items' execution log (one file per process), deleted afterwards.</summary>
internal sealed class ClusterDir : IDisposable
{
    public ClusterDir()
    {
        Root = Directory.CreateTempSubdirectory("parmap-cluster-").FullName;
        Job = Path.Combine(Root, "job");
        Log = Directory.CreateDirectory(Path.Combine(Root, "log")).FullName;
    }

    public string Root { get; }

    public string Job { get; }

    public string Log { get; }

    /// <summary>Every execution logged so far, by process id.</summary>
    public Dictionary<int, List<int>> Executions() => Directory.GetFiles(Log).ToDictionary(
        f => int.Parse(Path.GetFileName(f), CultureInfo.InvariantCulture),
        f => File.ReadAllLines(f).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList());

    /// <summary>The driver's map of <paramref name="count"/> items (x -> x * x) completed with every result, and every item ran (at least once: a lost node's batch runs again).</summary>
    public void AssertCompleteOnce(int count, string stdout)
    {
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"result {count} 0 {Enumerable.Range(0, count).Sum(x => (long)x * x)}"), stdout, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, count), Executions().Values.SelectMany(x => x).Distinct().Order());
    }

    /// <summary>Waits until process <paramref name="pid"/> has logged <paramref name="count"/> executions.</summary>
    public void WaitForExecutions(int pid, int count)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((Executions().GetValueOrDefault(pid)?.Count ?? 0) < count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"node {pid} did not run {count} items within 90 s");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
