namespace Parmap.Tests.Journaling;

/// <summary>What a new user hits first with a journal: a directory as its path, the function's name, files left beside it.</summary>
public class JournalFirstContactTests
{
    [Fact]
    public async Task Map_JournalPathIsADirectory_SaysSoAndSuggestsAFile()
    {
        using var temp = new TempJournal();

        var e = await Assert.ThrowsAsync<JournalWriteException>(() => Par.Map(new[] { 1, 2 }, x => x, new ParOptions { Journal = temp.Directory }));
        var open = Assert.Throws<JournalUnreadableException>(() => Journal.Open(temp.Directory));

        Assert.Contains($"The journal path '{temp.Directory}' is a directory", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(temp.Directory, "run.db"), e.Message, StringComparison.Ordinal);
        Assert.Contains("is a directory, not a journal", open.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GridMap_Journal_NamesTheUsersLambdaNotParmapsWrapper()
    {
        using var temp = new TempJournal();
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, 3), Axis.Range("n", 1, 2));

        await Par.Map(grid, p => p.Item1 * p.Item2, temp.Options());

        var name = Journal.Open(temp.Path).FunctionName;
        Assert.StartsWith("lambda #", name, StringComparison.Ordinal);
        Assert.Contains($"{typeof(JournalFirstContactTests).FullName}.{nameof(GridMap_Journal_NamesTheUsersLambdaNotParmapsWrapper)}", name, StringComparison.Ordinal);
        Assert.DoesNotContain("ByIndex", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_Journal_NamesAMethodGroupByItsMethod()
    {
        using var temp = new TempJournal();

        await Par.Map(new[] { 1, 2, 3 }, Twice, temp.Options());

        Assert.Equal($"{typeof(JournalFirstContactTests).FullName}.{nameof(Twice)}", Journal.Open(temp.Path).FunctionName);
    }

    [Fact]
    public async Task FinishedJournal_AfterReadingIt_OnlyTheJournalAndItsLockFileRemain()
    {
        using var temp = new TempJournal();
        await Par.Map(Enumerable.Range(0, 500).ToArray(), x => x * 2, temp.Options());

        var journal = Journal.Open(temp.Path);
        _ = journal.Results<int>();
        journal.ExportCsv(Path.Combine(temp.Directory, "out.csv"));

        Assert.Equal(500, journal.Done);
        Assert.Equal(["out.csv", "run.db", "run.db-lock"], Directory.GetFiles(temp.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static int Twice(int x) => 2 * x;
}
