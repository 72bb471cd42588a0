using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Parmap.IntegrationTests.Packaging;

/// <summary>The NuGet packages as a user gets them: their own README, license, repository metadata, and a symbols package.</summary>
public class PackageTests
{
    [Theory]
    [InlineData("Parmap")]
    [InlineData("Parmap.Plots")]
    public void Pack_Package_CarriesItsOwnReadmeSymbolsAndRepositoryCommit(string project)
    {
        var root = RepositoryRoot();
        var output = Directory.CreateTempSubdirectory("parmap-pack-").FullName;
        try
        {
            // dotnet pack of the build test.sh made (no compilation here)
            var (exit, log) = Run("dotnet", "pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", "Release", "--no-build", "-o", output);
            Assert.True(exit == 0, log);

            var package = Assert.Single(Directory.GetFiles(output, $"{project}.*.nupkg"));
            Assert.Single(Directory.GetFiles(output, $"{project}.*.snupkg"));
            using var zip = ZipFile.OpenRead(package);
            var readme = new StreamReader(zip.GetEntry("README.md")!.Open()).ReadToEnd();
            Assert.Equal(File.ReadAllText(Path.Combine(root, "src", project, "README.md")), readme);
            Assert.DoesNotContain("./test.sh", readme, StringComparison.Ordinal);
            Assert.DoesNotContain("](docs/", readme, StringComparison.Ordinal);
            Assert.Contains($"dotnet add package {project}", readme, StringComparison.Ordinal);

            var nuspec = XDocument.Load(zip.GetEntry($"{project}.nuspec")!.Open());
            XNamespace ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
            Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
            var repository = metadata.Element(ns + "repository");
            Assert.NotNull(repository);
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{project}.dll");
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{project}.xml");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parmap.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The tests run outside the repository: Parmap.slnx not found above " + AppContext.BaseDirectory);
    }

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "dotnet pack did not finish within 3 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
