namespace Parmap.IntegrationTests.Journaling;

/// <summary>A journaled map in a child process, killed and resumed: the result is exactly an uninterrupted run's.</summary>
[Collection(nameof(JournalProcesses))]
public class JournalKillTests
{
    private const int Count = 2000;

    /// <summary>Items of 3 ms on 2 workers: a few hundred items per commit interval (250 ms).</summary>
    private static readonly string[] Slow = ["--sleep-ms", "3", "--workers", "2"];

    [Fact]
    public void Resume_AfterRepeatedSigkill_EqualsUninterruptedRunAndRecomputesNothingCommitted()
    {
        using var dir = new TempDir();
        var expected = Uninterrupted(dir, Count);
        var journal = dir.File("j.db");

        // Given a run killed with SIGKILL at several points, resumed each time
        var kills = 0;
        foreach (var killAt in new[] { 150, 300, 200, 400 })
        {
            var committed = Committed(journal);
            using var app = JournalApp.Start(journal, Count, dir.File($"log{kills}"), Slow);
            app.WaitForLog(killAt);
            app.Signal(JournalApp.SigKill);
            var (code, _, _) = app.WaitForExit();
            Assert.Equal(128 + JournalApp.SigKill, code);
            // No item committed by an earlier run was computed again by this one.
            Assert.DoesNotContain(app.Logged(), committed.Contains);
            kills++;
        }
        var before = Committed(journal);
        Assert.InRange(before.Count, 1, Count - 1);

        // When the map runs again to its end
        var last = dir.File("last");
        var (exit, stdout, stderr) = JournalApp.Run(journal, Count, last, [.. Slow, "--out", dir.File("out.txt")]);

        // Then the result is the uninterrupted run's, each item is committed once, and nothing committed was recomputed
        Assert.True(exit == 0, stderr);
        Assert.Contains($"{before.Count:N0} resumed", stdout);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        var computedLast = File.ReadAllLines(last).Select(int.Parse).ToList();
        Assert.DoesNotContain(computedLast, before.Contains);
        Assert.Equal(Count - before.Count, computedLast.Count);
        AssertEachItemCommittedOnce(journal, Count);
        var runs = Journal.Open(journal).Runs;
        Assert.Equal(5, runs.Count);
        Assert.All(runs.Take(4), r => Assert.StartsWith("killed or crashed", r.Outcome));
        Assert.Equal("finished", runs[^1].Outcome);
    }

    [Fact]
    public void Resume_AfterSigkillWhileTheNewJournalIsCreated_EqualsUninterruptedRun()
    {
        // A new journal is created while the first items run: a kill at the first item can leave no file, an empty one,
        // tables without a run, or a first commit. Whatever it left, the map resumes to the uninterrupted result.
        using var dir = new TempDir();
        var expected = Uninterrupted(dir, Count);
        var journal = dir.File("j.db");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var app = JournalApp.Start(journal, Count, dir.File($"log{attempt}"), Slow);
            app.WaitForLog(1);
            app.Signal(JournalApp.SigKill);
            Assert.Equal(128 + JournalApp.SigKill, app.WaitForExit().ExitCode);
        }

        var (exit, _, stderr) = JournalApp.Run(journal, Count, dir.File("last"), [.. Slow, "--out", dir.File("out.txt")]);

        Assert.True(exit == 0, stderr);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        AssertEachItemCommittedOnce(journal, Count);
    }

    [Fact]
    public void Resume_LazyStreamAfterRepeatedSigkill_EqualsUninterruptedRunAndRecomputesNothingCommitted()
    {
        // A streamed input (an iterator of unknown length) is read as the run goes, never materialized; each resume reads
        // it again and skips the recorded items by position and input.
        using var dir = new TempDir();
        string[] lazy = [.. Slow, "--stream", "--lazy"];
        var expected = Uninterrupted(dir, Count, lazy);
        var journal = dir.File("j.db");
        foreach (var (killAt, k) in new[] { 200, 300 }.Select((n, k) => (n, k)))
        {
            var committed = Committed(journal);
            using var app = JournalApp.Start(journal, Count, dir.File($"log{k}"), lazy);
            app.WaitForLog(killAt);
            app.Signal(JournalApp.SigKill);
            Assert.Equal(128 + JournalApp.SigKill, app.WaitForExit().ExitCode);
            Assert.DoesNotContain(app.Logged(), committed.Contains);
        }
        var before = Committed(journal);
        Assert.InRange(before.Count, 1, Count - 1);

        var (exit, _, stderr) = JournalApp.Run(journal, Count, dir.File("last"), [.. lazy, "--out", dir.File("out.txt")]);

        Assert.True(exit == 0, stderr);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        var computedLast = File.ReadAllLines(dir.File("last")).Select(int.Parse).ToList();
        Assert.DoesNotContain(computedLast, before.Contains);
        Assert.Equal(Count - before.Count, computedLast.Count);
        AssertEachItemCommittedOnce(journal, Count);
        var opened = Journal.Open(journal);
        Assert.False(opened.TotalKnown);
        Assert.True(opened.IsComplete);
    }

    [Theory]
    [InlineData(JournalApp.SigInt, 130, "SIGINT")]
    [InlineData(JournalApp.SigTerm, 143, "SIGTERM")]
    public void Signal_Once_FinishesRunningItemsSavesThemAndSaysHowToResume(int signal, int exitCode, string name)
    {
        using var dir = new TempDir();
        var expected = Uninterrupted(dir, Count);
        var journal = dir.File("j.db");
        using var app = JournalApp.Start(journal, Count, dir.File("log1"), "--sleep-ms", "1", "--workers", "2");
        app.WaitForLog(300);

        app.Signal(signal);
        var (code, _, stderr) = app.WaitForExit();

        // The graceful path: every item the app computed is committed, and the message says how to resume.
        Assert.Equal(exitCode, code);
        Assert.Contains($"interrupted by {name}", stderr);
        Assert.Contains("To resume, run the same map again with the same journal", stderr);
        Assert.Contains(JournalApp.AppPath, stderr);
        Assert.Contains($"--journal {journal}", stderr);
        var committed = Committed(journal);
        Assert.Equal(app.Logged().Order(), committed.Order());
        Assert.Equal($"interrupted by {name}", Journal.Open(journal).Runs[^1].Outcome);

        var (exit, _, _) = JournalApp.Run(journal, Count, dir.File("log2"), "--sleep-ms", "1", "--workers", "2", "--out", dir.File("out.txt"));
        Assert.Equal(0, exit);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        Assert.DoesNotContain(File.ReadAllLines(dir.File("log2")).Select(int.Parse), committed.Contains);
        AssertEachItemCommittedOnce(journal, Count);
    }

    [Fact]
    public void Sigint_Twice_StopsAtOnceAndLeavesAConsistentJournal()
    {
        using var dir = new TempDir();
        var journal = dir.File("j.db");
        // Items of 1.5 s that ignore cancellation: the graceful stop would wait for them; the second signal does not.
        string[] slow = ["--sleep-ms", "1500", "--workers", "2", "--batch", "1"];
        using var app = JournalApp.Start(journal, 6, dir.File("log1"), [.. slow, "--started", dir.File("started")]);
        // Wait until items are running (with nothing running, the first signal alone would end the run at once) and the
        // journal exists (created beside the first items; a kill before it exists loses no item, since none finished).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.GetFiles(dir.Path, "started.*").Length == 0)
        {
            Assert.False(app.HasExited, "the app ended before starting an item");
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "no item started within a minute");
            Thread.Sleep(10);
        }
        WaitForRunRow(journal);

        app.Signal(JournalApp.SigInt);
        // The second signal only after the first was handled (the app says so), not after a guessed delay.
        app.WaitForStderr("Press Ctrl-C again to stop at once");
        app.Signal(JournalApp.SigInt);
        var (code, _, stderr) = app.WaitForExit();

        Assert.Equal(128 + JournalApp.SigInt, code);
        Assert.Contains("Press Ctrl-C again to stop at once", stderr);
        var opened = Journal.Open(journal);
        Assert.Equal(6, opened.Total);
        Assert.StartsWith("killed or crashed", opened.Runs[^1].Outcome);
        var (exit, _, _) = JournalApp.Run(journal, 6, dir.File("log2"), slow);
        Assert.Equal(0, exit);
        AssertEachItemCommittedOnce(journal, 6);
    }

    [Fact]
    public void Sigint_GracePeriodOver_CancelsRunningItemsThatTakeTheToken()
    {
        using var dir = new TempDir();
        var journal = dir.File("j.db");
        // Items of 60 s that take the token: after a 200 ms grace period they are cancelled, and the run ends.
        using var app = JournalApp.Start(journal, 4, dir.File("log1"), "--sleep-ms", "60000", "--workers", "2", "--batch", "1", "--cancellable", "--grace-ms", "200");
        WaitForRunRow(journal);

        app.Signal(JournalApp.SigInt);
        var (code, _, stderr) = app.WaitForExit();

        Assert.Equal(130, code);
        Assert.Contains("0 of 4 items are saved", stderr);
        Assert.Equal(0, Journal.Open(journal).Done);
    }

    [Fact]
    public void Stream_AfterSigkill_ResumesToTheUninterruptedResult()
    {
        using var dir = new TempDir();
        var expected = Uninterrupted(dir, Count);
        var journal = dir.File("j.db");
        using (var app = JournalApp.Start(journal, Count, dir.File("log1"), [.. Slow, "--stream"]))
        {
            app.WaitForLog(500);
            app.Signal(JournalApp.SigKill);
            app.WaitForExit();
        }
        var committed = Committed(journal);
        Assert.InRange(committed.Count, 1, Count - 1);

        var (exit, _, _) = JournalApp.Run(journal, Count, dir.File("log2"), [.. Slow, "--stream", "--out", dir.File("out.txt")]);

        Assert.Equal(0, exit);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        Assert.DoesNotContain(File.ReadAllLines(dir.File("log2")).Select(int.Parse), committed.Contains);
        AssertEachItemCommittedOnce(journal, Count);
    }

    [Fact]
    public void Resume_WorkerProcessesAfterOwnerSigkill_EqualsUninterruptedRunAndRecomputesNothingCommitted()
    {
        using var dir = new TempDir();
        var expected = Uninterrupted(dir, Count);
        var journal = dir.File("j.db");
        string[] processes = [.. Slow, "--processes"];

        // Given a journaled map on worker processes whose owner is killed with SIGKILL mid-run
        using (var app = JournalApp.Start(journal, Count, dir.File("log0"), processes))
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (CommittedSoFar(journal) < 300)
            {
                Assert.False(app.HasExited, "the app ended before 300 items were committed");
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "300 items were not committed within 2 minutes");
                Thread.Sleep(20);
            }
            app.Signal(JournalApp.SigKill);
            Assert.Equal(128 + JournalApp.SigKill, app.WaitForExit().ExitCode);
        }
        var before = Committed(journal);
        Assert.InRange(before.Count, 1, Count - 1);

        // When the map runs again on worker processes
        var last = dir.File("last");
        var (exit, stdout, stderr) = JournalApp.Run(journal, Count, last, [.. processes, "--out", dir.File("out.txt")]);

        // Then the result is the uninterrupted (threads) run's, no committed item was computed again, each committed once
        Assert.True(exit == 0, stderr);
        Assert.Contains("(processes)", stdout);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        var computedLast = Directory.GetFiles(Path.GetDirectoryName(last)!, "last.*").SelectMany(File.ReadAllLines).Select(int.Parse).ToList();
        Assert.DoesNotContain(computedLast, before.Contains);
        Assert.Equal(Count - before.Count, computedLast.Count);
        AssertEachItemCommittedOnce(journal, Count);
    }

    [Theory]
    [InlineData(JournalApp.SigInt, 130, "SIGINT")]
    [InlineData(JournalApp.SigTerm, 143, "SIGTERM")]
    public void Signal_OnceWithWorkerProcesses_FinishesRunningBatchesSavesThemAndResumes(int signal, int exitCode, string name)
    {
        using var dir = new TempDir();
        var expected = Uninterrupted(dir, Count);
        var journal = dir.File("j.db");
        string[] processes = ["--sleep-ms", "1", "--workers", "2", "--processes"];
        IEnumerable<int> LoggedBy(string prefix) => Directory.GetFiles(dir.Path, prefix + ".*").SelectMany(File.ReadAllLines).Select(int.Parse);

        // Given a journaled map on worker processes that gets one Ctrl-C / SIGTERM after 300 items
        using var app = JournalApp.Start(journal, Count, dir.File("log1"), processes);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (LoggedBy("log1").Count() < 300)
        {
            Assert.False(app.HasExited, "the app ended before computing 300 items");
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "300 items were not computed within 2 minutes");
            Thread.Sleep(20);
        }
        app.Signal(signal);
        var (code, _, stderr) = app.WaitForExit();

        // Then the workers ignored the signal, the owner let the running batches finish and committed every computed item
        Assert.Equal(exitCode, code);
        Assert.Contains($"interrupted by {name}", stderr);
        var committed = Committed(journal);
        Assert.Equal(LoggedBy("log1").Order(), committed.Order());

        // And the resumed run (processes again) completes the uninterrupted result without recomputing
        var (exit, _, resumeErr) = JournalApp.Run(journal, Count, dir.File("log2"), [.. processes, "--out", dir.File("out.txt")]);
        Assert.True(exit == 0, resumeErr);
        Assert.Equal(expected, File.ReadAllLines(dir.File("out.txt")));
        Assert.DoesNotContain(LoggedBy("log2"), committed.Contains);
        AssertEachItemCommittedOnce(journal, Count);
    }

    internal static string[] Uninterrupted(TempDir dir, int count, params string[] more)
    {
        var (exit, _, stderr) = JournalApp.Run(dir.File("reference.db"), count, null, ["--out", dir.File("reference.txt"), .. more]);
        Assert.True(exit == 0, stderr);
        return File.ReadAllLines(dir.File("reference.txt"));
    }

    /// <summary>Items committed so far while the app runs (0 while it is still creating the journal).</summary>
    private static int CommittedSoFar(string journal)
    {
        try
        {
            return Committed(journal).Count;
        }
        catch (JournalUnreadableException)
        {
            return 0;
        }
    }

    internal static HashSet<int> Committed(string journal) =>
        File.Exists(journal) ? [.. Journal.Open(journal).Items().Select(i => (int)i.Index)] : [];

    internal static void AssertEachItemCommittedOnce(string journal, int count)
    {
        var items = Journal.Open(journal).Items();
        Assert.Equal(count, items.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), items.Select(i => i.Index));
    }

    /// <summary>Waits until the app has opened the journal and recorded its run (from then on it handles signals).</summary>
    internal static void WaitForRunRow(string journal)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if (File.Exists(journal) && Journal.Open(journal).Runs.Count > 0)
                {
                    return;
                }
            }
            catch (JournalException)
            {
                // Still being created.
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"No run was recorded in '{journal}'.");
    }
}

[CollectionDefinition(nameof(JournalProcesses))]
public class JournalProcesses
{
}
