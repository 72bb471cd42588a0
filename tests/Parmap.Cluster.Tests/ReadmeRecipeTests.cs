using System.Diagnostics;

namespace Parmap.Cluster.Tests;

/// <summary>The README's "Try it on one machine" recipe runs as written.</summary>
[Collection(nameof(ClusterProcesses))]
public class ReadmeRecipeTests
{
    [Fact]
    public async Task OneMachineRecipe_RunsAsWritten()
    {
        var root = Repository();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf("### Try it on one machine", StringComparison.Ordinal)..];
        var start = section.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length;
        var script = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var bash = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        bash.ArgumentList.Add("-c");
        bash.ArgumentList.Add(script);

        using var process = Process.Start(bash)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, stderr + stdout);
        Assert.True(stdout.Contains("grid: 40,000 points", StringComparison.Ordinal), stdout + stderr);
        Assert.Contains("items per worker: node ", stdout, StringComparison.Ordinal);
        Assert.Contains("identical to the local run: True", stdout, StringComparison.Ordinal);
    }

    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parmap.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("The repository root (Parmap.slnx) is not above the test's directory.");
    }
}
