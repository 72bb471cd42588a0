using Microsoft.Data.Sqlite;

namespace Parmap.Tests.Journaling;

public class JournalBadFileTests
{
    private static readonly int[] s_inputs = [.. Enumerable.Range(0, 300)];

    [Fact]
    public async Task Map_FileIsNotSqlite_ThrowsUnreadableAndKeepsTheFile()
    {
        using var temp = new TempJournal();
        await File.WriteAllTextAsync(temp.Path, "these are my precious notes, not a journal");

        var error = await Assert.ThrowsAsync<JournalUnreadableException>(() => Par.Map(s_inputs, new CallLog().Triple(), temp.Options()));

        Assert.Contains("is not a Parmap journal", error.Message);
        Assert.Equal("these are my precious notes, not a journal", await File.ReadAllTextAsync(temp.Path));
    }

    [Fact]
    public async Task Map_FileIsAnotherSqliteDatabase_ThrowsUnreadable()
    {
        using var temp = new TempJournal();
        using (var connection = new SqliteConnection($"Data Source={temp.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers(name TEXT)";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<JournalUnreadableException>(() => Par.Map(s_inputs, new CallLog().Triple(), temp.Options()));

        Assert.Contains("an SQLite database but not a Parmap journal", error.Message);
    }

    [Fact]
    public async Task Map_JournalOfNewerFormat_ThrowsUnreadableSayingUpdate()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());
        Sql(temp.Path, "PRAGMA user_version = 99");

        var error = await Assert.ThrowsAsync<JournalUnreadableException>(() => Par.Map(s_inputs, new CallLog().Triple(), temp.Options()));

        Assert.Contains("newer version of Parmap (journal format 99", error.Message);
        Assert.Contains("Update Parmap", error.Message);
        Assert.Throws<JournalUnreadableException>(() => Journal.Open(temp.Path));
    }

    [Fact]
    public async Task Map_DamagedChunk_ThrowsUnreadableWithoutComputing()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());
        Sql(temp.Path, "UPDATE chunks SET data = zeroblob(length(data)) WHERE chunk = (SELECT min(chunk) FROM chunks)");
        var log = new CallLog();

        var error = await Assert.ThrowsAsync<JournalUnreadableException>(() => Par.Map(s_inputs, log.Triple(), temp.Options()));

        Assert.Contains("is damaged", error.Message);
        Assert.Equal(0, log.Count);
    }

    [Fact]
    public async Task Map_JournalInUseByAnotherMap_ThrowsLockedNamingThisProcess()
    {
        using var temp = new TempJournal();
        using var release = new ManualResetEventSlim();
        using var started = new SemaphoreSlim(0);
        var first = Task.Run(() => Par.Map(s_inputs, x =>
        {
            started.Release();
            release.Wait();
            return x;
        }, temp.Options(workers: 1)));
        await started.WaitAsync();

        var error = await Assert.ThrowsAsync<JournalLockedException>(() => Par.Map(s_inputs, new CallLog().Triple(), temp.Options()));
        var inspected = Journal.Open(temp.Path);
        release.Set();
        await first;

        Assert.Equal(Environment.ProcessId, error.OwnerProcessId);
        Assert.Contains($"in use by process {Environment.ProcessId}", error.Message);
        Assert.True(inspected.IsRunning);
        Assert.Equal("running", inspected.Runs[^1].Outcome);
        Assert.False(Journal.Open(temp.Path).IsRunning);
    }

    [Fact]
    public async Task Map_DirectoryMissing_ThrowsWriteErrorNamingTheDirectory()
    {
        using var temp = new TempJournal();
        var path = Path.Combine(temp.Directory, "no-such-dir", "run.db");

        var error = await Assert.ThrowsAsync<JournalWriteException>(() => Par.Map(s_inputs, new CallLog().Triple(), temp.Options() with { Journal = path }));

        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task Map_InputTypeNotStorable_ThrowsBeforeRunning()
    {
        using var temp = new TempJournal();
        var inputs = new[] { new MemoryStream() };
        var ran = 0;

        var error = await Assert.ThrowsAsync<JournalException>(() => Par.Map(inputs, s => { Interlocked.Increment(ref ran); return s.Length; }, temp.Options()));

        Assert.Contains("Input 0 (type System.IO.MemoryStream) cannot be recorded in the journal", error.Message);
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task Map_NewJournalLaterInputNotStorable_StopsNamingItKeepsTheItemsBeforeAndRefusesOnResume()
    {
        // A new journal checks the first input before running and each later one as it is recorded.
        using var temp = new TempJournal();
        var inputs = Enumerable.Range(0, 1000).Select(i => i == 500 ? new MemoryStream() : (object)i).ToArray();
        var options = temp.Options(workers: 1) with { BatchSize = 10 };

        var error = await Assert.ThrowsAsync<JournalException>(() => Par.Map(inputs, x => x is int i ? i : -1, options));

        Assert.Contains("Input 500 (type System.Object) cannot be recorded in the journal", error.Message);
        var journal = Journal.Open(temp.Path);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), journal.Items().Select(i => i.Index));
        var ran = 0;
        var again = await Assert.ThrowsAsync<JournalException>(() => Par.Map(inputs, x => { Interlocked.Increment(ref ran); return 0; }, options));
        Assert.Contains("Input 500", again.Message);
        Assert.Equal(0, ran);
    }

    [Fact]
    public void Open_NoFile_ThrowsFileNotFound()
    {
        using var temp = new TempJournal();

        Assert.Throws<FileNotFoundException>(() => Journal.Open(temp.Path));
    }

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
