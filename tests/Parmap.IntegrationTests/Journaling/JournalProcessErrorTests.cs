namespace Parmap.IntegrationTests.Journaling;

/// <summary>Bad situations across processes and file systems: clear errors, nothing committed lost.</summary>
[Collection(nameof(JournalProcesses))]
public class JournalProcessErrorTests
{
    [Fact]
    public void Run_JournalHeldByAnotherProcess_FailsNamingThatProcess()
    {
        using var dir = new TempDir();
        var journal = dir.File("j.db");
        using var owner = JournalApp.Start(journal, 2000, dir.File("log1"), "--sleep-ms", "5", "--workers", "2");
        owner.WaitForLog(10);

        var (code, _, stderr) = JournalApp.Run(journal, 2000, dir.File("log2"), "--sleep-ms", "5", "--workers", "2");
        var inspected = Journal.Open(journal);
        owner.Signal(JournalApp.SigKill);
        owner.WaitForExit();

        Assert.Equal(3, code);
        Assert.Contains($"is in use by process {owner.Id}", stderr);
        Assert.True(inspected.IsRunning);
        Assert.Equal(owner.Id, inspected.Runs[^1].ProcessId);
        Assert.Empty(File.ReadAllLines(dir.File("log2")));
        // The owner was killed: its OS lock went with it, and the journal is usable again.
        Assert.False(Journal.Open(journal).IsRunning);
        var (exit, _, _) = JournalApp.Run(journal, 2000, null, "--sleep-ms", "5", "--workers", "2");
        Assert.Equal(0, exit);
    }

    [Fact]
    public void Run_ChangedFunctionOrInputs_FailsWithWhatChangedThenReusesWhenAsked()
    {
        using var dir = new TempDir();
        var journal = dir.File("j.db");
        Assert.Equal(0, JournalApp.Run(journal, 500, null).ExitCode);

        var changedFunction = JournalApp.Run(journal, 500, dir.File("log1"), "--variant", "1");
        var moreInputs = JournalApp.Run(journal, 600, dir.File("log2"));
        var reused = JournalApp.Run(journal, 600, dir.File("log3"), "--reuse");

        Assert.Equal(2, changedFunction.ExitCode);
        Assert.Contains("The function changed", changedFunction.Stderr);
        Assert.Equal(2, moreInputs.ExitCode);
        Assert.Contains("The number of inputs changed: recorded 500, now 600", moreInputs.Stderr);
        Assert.Contains("500 of 500 recorded items still match", moreInputs.Stderr);
        Assert.Empty(File.ReadAllLines(dir.File("log1")));
        Assert.Empty(File.ReadAllLines(dir.File("log2")));
        Assert.Equal(0, reused.ExitCode);
        Assert.Equal(Enumerable.Range(500, 100), File.ReadAllLines(dir.File("log3")).Select(int.Parse).Order());
    }

    [Fact]
    public void Run_StaticReadonlySettingChanged_FailsAsAChangedFunctionAndResumesWithTheSameValue()
    {
        // Given a journal written by a program whose function reads a setting from a static readonly field (value 0)
        using var dir = new TempDir();
        var journal = dir.File("j.db");
        Assert.Equal(0, JournalApp.Run(journal, 300, null, "--out", dir.File("first")).ExitCode);

        // When the program runs again with the setting changed, then with it as it was
        var changed = JournalApp.Run(journal, 300, dir.File("log1"), "--setting", "1");
        var same = JournalApp.Run(journal, 300, dir.File("log2"), "--setting", "0", "--out", dir.File("second"));

        // Then the change is detected before any item runs, and the unchanged setting resumes without computing anything
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("The function changed", changed.Stderr);
        Assert.Empty(File.ReadAllLines(dir.File("log1")));
        Assert.Equal(0, same.ExitCode);
        Assert.Empty(File.ReadAllLines(dir.File("log2")));
        Assert.Equal(File.ReadAllLines(dir.File("first")), File.ReadAllLines(dir.File("second")));
    }

    [Fact]
    public void Run_FileIsNotAJournal_FailsAndKeepsTheFile()
    {
        using var dir = new TempDir();
        var journal = dir.File("results.db");
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(journal, bytes);

        var (code, _, stderr) = JournalApp.Run(journal, 100, null);

        Assert.Equal(5, code);
        Assert.Contains("is not a Parmap journal", stderr);
        Assert.Equal(bytes, File.ReadAllBytes(journal));
    }

    [Fact]
    public void Run_CorruptedJournal_FailsSayingDamagedAndKeepsTheFile()
    {
        using var dir = new TempDir();
        var journal = dir.File("j.db");
        Assert.Equal(0, JournalApp.Run(journal, 3000, null, "--payload", "100").ExitCode);
        var bytes = File.ReadAllBytes(journal);
        // Overwrite the middle of the file (b-tree pages and recorded results alike).
        for (var k = bytes.Length / 3; k < (2 * bytes.Length) / 3; k++)
        {
            bytes[k] = (byte)(k * 31);
        }
        File.WriteAllBytes(journal, bytes);

        var (code, _, stderr) = JournalApp.Run(journal, 3000, dir.File("log"), "--payload", "100");

        Assert.Equal(5, code);
        Assert.Contains("is damaged", stderr);
        Assert.Empty(File.ReadAllLines(dir.File("log")));
        Assert.Equal(bytes, File.ReadAllBytes(journal));
    }

    [Fact]
    public void Run_ReadOnlyLocation_FailsSayingReadOnlyAndJournalStaysReadable()
    {
        using var dir = new TempDir();
        dir.MountTmpfs("16m");
        var journal = dir.File("j.db");
        Assert.Equal(0, JournalApp.Run(journal, 300, null).ExitCode);
        dir.Remount("ro");

        var resumed = JournalApp.Run(journal, 300, null);
        var fresh = JournalApp.Run(dir.File("new.db"), 300, null);

        Assert.Equal(4, resumed.ExitCode);
        Assert.Contains("read-only", resumed.Stderr);
        Assert.Equal(4, fresh.ExitCode);
        Assert.Contains("read-only", fresh.Stderr);
        Assert.Equal(300, Journal.Open(journal).Done);
    }

    [Fact]
    public void Run_DiskFull_StopsKeepsWhatWasCommittedAndResumesOnceThereIsSpace()
    {
        using var dir = new TempDir();
        var expected = JournalKillTests.Uninterrupted(dir, 3000, "--payload", "2000");
        using var small = new TempDir();
        small.MountTmpfs("1m");
        var journal = small.File("j.db");

        // Results of ~2 KB: the 1 MB disk fills up after a few hundred items.
        var full = JournalApp.Run(journal, 3000, dir.File("log1"), "--payload", "2000", "--sleep-ms", "5", "--workers", "2");

        Assert.Equal(4, full.ExitCode);
        Assert.Contains("the disk is full", full.Stderr);
        var committed = JournalKillTests.Committed(journal);
        Assert.InRange(committed.Count, 1, 2999);

        // Given more space, the same map resumes and recomputes none of the committed items.
        small.Remount("size=64m");
        var resumed = JournalApp.Run(journal, 3000, dir.File("log2"), "--payload", "2000", "--sleep-ms", "5", "--workers", "2", "--out", dir.File("out.txt"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        Assert.DoesNotContain(File.ReadAllLines(dir.File("log2")).Select(int.Parse), committed.Contains);
        JournalKillTests.AssertEachItemCommittedOnce(journal, 3000);
    }

    [Fact]
    public void Run_FailedItem_IsRecordedAcrossProcessesAndRetriedOnlyWhenAsked()
    {
        using var dir = new TempDir();
        var journal = dir.File("j.db");
        var first = JournalApp.Run(journal, 200, null, "--fail-at", "17");
        var again = JournalApp.Run(journal, 200, dir.File("log2"), "--fail-at", "17");

        Assert.Equal(6, first.ExitCode);
        Assert.Equal(6, again.ExitCode);
        Assert.Contains("recorded in the journal by an earlier run", again.Stderr);
        Assert.Empty(File.ReadAllLines(dir.File("log2")));
        var failure = Assert.Single(Journal.Open(journal).Failures);
        Assert.Equal(17, failure.Index);
        Assert.Contains("item 17 fails on purpose", failure.Message);
    }
}
