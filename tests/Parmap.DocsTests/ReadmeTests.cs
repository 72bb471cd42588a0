using System.Reflection;
using System.Text.RegularExpressions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Parmap.DocsTests;

/// <summary>
/// Every C# example of the README (and of the XML documentation) compiles and runs: <see cref="ReadmeExamples"/> holds
/// them verbatim, these tests check that it is the documents' text and run each example in a fresh directory (the
/// examples write files by relative path, as a user's program would).
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string s_root = typeof(ReadmeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void Readme_EveryCSharpBlock_IsAnExampleThatRuns()
    {
        var readme = File.ReadAllText(Path.Combine(s_root, "README.md"));
        var blocks = CSharpBlock().Matches(readme).Select(m => Normalize(m.Groups[1].Value)).ToList();
        var examples = File.ReadAllText(Path.Combine(s_root, "tests", "Parmap.DocsTests", "ReadmeExamples.cs"));

        Assert.Equal(6, blocks.Count);
        for (var k = 0; k < blocks.Count; k++)
        {
            Assert.Equal(blocks[k], Normalize(Region(examples, $"README block {k}")));
        }
    }

    [Fact]
    public void JournalXmlDocumentation_Example_IsAnExampleThatRuns()
    {
        var source = File.ReadAllText(Path.Combine(s_root, "src", "Parmap", "Journaling", "Journal.cs"));
        var code = XmlCode().Match(source).Groups[1].Value;
        var documented = Dedent([.. code.Split('\n').Select(l => l.TrimStart()).Select(l => l.StartsWith("///", StringComparison.Ordinal) ? l[3..] : l)]);
        var examples = File.ReadAllText(Path.Combine(s_root, "tests", "Parmap.DocsTests", "ReadmeExamples.cs"));

        Assert.Equal(Normalize(documented), Normalize(Region(examples, "Journal.cs block")));
    }

    [Fact]
    public Task ApiTour_Runs() => InFreshDirectory(() => ReadmeExamples.ApiTour(CancellationToken.None));

    [Fact]
    public Task GridsAndMonteCarlo_Runs() => InFreshDirectory(ReadmeExamples.GridsAndMonteCarlo);

    [Fact]
    public Task ThreadsOrProcesses_Runs() => InFreshDirectory(ReadmeExamples.ThreadsOrProcesses);

    [Fact]
    public Task Journal_Runs() => InFreshDirectory(ReadmeExamples.JournalExample);

    [Fact]
    public Task JournalDocumentation_Runs() => InFreshDirectory(ReadmeExamples.JournalDocumentation);

    [Fact]
    public Task Cluster_Runs() => InFreshDirectory(ReadmeExamples.ClusterExample);

    [Fact]
    public Task CustomExecutor_Runs() => InFreshDirectory(ReadmeExamples.CustomExecutorExample);

    private static async Task InFreshDirectory(Func<Task> example)
    {
        var previous = Environment.CurrentDirectory;
        var dir = Directory.CreateTempSubdirectory("parmap-readme-").FullName;
        Environment.CurrentDirectory = dir;
        try
        {
            await example();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            await ProcessOptions.StopIdleWorkersAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The lines between "// {name}" and "// end {name}", without their common indentation.</summary>
    private static string Region(string source, string name)
    {
        var lines = source.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.Trim() == $"// {name}");
        var end = lines.FindIndex(l => l.Trim() == $"// end {name}");
        Assert.True(start >= 0 && end > start, $"ReadmeExamples.cs has no region '{name}'");
        return Dedent(lines.GetRange(start + 1, end - start - 1));
    }

    private static string Dedent(List<string> lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    /// <summary>The code without leading using directives and blank lines, and without trailing blanks.</summary>
    private static string Normalize(string code)
    {
        var lines = code.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && (lines[0].Length == 0 || lines[0].StartsWith("using ", StringComparison.Ordinal)))
        {
            lines.RemoveAt(0);
        }
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex("<code>\\r?\\n(.*?)///\\s*</code>", RegexOptions.Singleline)]
    private static partial Regex XmlCode();
}
