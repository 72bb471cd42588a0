using System.Globalization;

using MessagePack.Formatters;

using Parmap.Executors;
using Parmap.Running;
using Parmap.Scheduling;

namespace Parmap.Journaling;

/// <summary>
/// One journaled run: opens (or creates) the journal, plans which items are already settled, records what the run
/// finishes (as the scheduler's <see cref="IRunLedger{TIn, TOut}"/>), and closes the journal with the run's outcome.
/// </summary>
/// <remarks>
/// Interrupts are the run's <see cref="GracefulStop"/>: after one, the run ends normally and <see cref="Finish"/> throws
/// <see cref="RunInterruptedException"/> (how to resume) once everything is committed. A journal that cannot be written
/// drains the run the same way.
/// </remarks>
internal sealed partial class JournalSession<TIn, TOut> : IDisposable
{
    private readonly ParOptions _options;
    private readonly TimeProvider _time;
    private readonly FileStream _lockFile;
    private readonly (IMessagePackFormatter<TIn> Inputs, IMessagePackFormatter<TOut> Values) _formatters;
    private readonly Grid? _grid;
    private readonly GracefulStop _stop;
    private JournalFile? _file;
    private JournalWriter? _writer;
    private long _run;
    private bool _closed;

    private JournalSession(ParOptions options, string path, FileStream lockFile, IEnumerable<TIn> inputs, IReadOnlyList<TIn>? list, UInt128[]? keys, Grid? grid, GracefulStop stop)
    {
        _options = options;
        _grid = grid;
        _stop = stop;
        _time = options.TimeProvider;
        Path = path;
        _lockFile = lockFile;
        _formatters = Formatters(path);
        Inputs = inputs;
        _inputs = list;
        _total = list?.Count ?? (inputs.TryGetNonEnumeratedCount(out var count) ? count : null);
        _keys = keys;
        _state = list is null ? null : new byte[list.Count];
    }

    public string Path { get; }

    /// <summary>The inputs the run takes, as the caller gave them: a lazy sequence is read as the run takes it, never all at once.</summary>
    public IEnumerable<TIn> Inputs { get; }

    /// <summary>
    /// Opens the journal named by the options and plans the run. A list is matched against the journal up front; a lazy
    /// sequence (any other <see cref="IEnumerable{T}"/>, endless ones included) is streamed: its inputs are matched with
    /// the recorded ones as the run takes them (see <see cref="SkipStreamed"/>).
    /// </summary>
    /// <param name="options">The run's options (the journal path among them).</param>
    /// <param name="inputs">The inputs.</param>
    /// <param name="function">The function, whose identity keys the journal.</param>
    /// <param name="userMethod">The user's own function when <paramref name="function"/> is Parmap's wrapper around it: the journal names it.</param>
    /// <param name="grid">The grid when the inputs are the point indices of a grid sweep: recorded for exports.</param>
    /// <param name="stop">The run's graceful stop: drained when the journal cannot be written.</param>
    public static JournalSession<TIn, TOut> Start(ParOptions options, IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, System.Reflection.MethodInfo? userMethod, Grid? grid, GracefulStop stop)
    {
        var path = System.IO.Path.GetFullPath(options.Journal!);
        IReadOnlyList<TIn>? list = inputs switch
        {
            IReadOnlyList<TIn> l => l,
            IList<TIn> l => new ListView(l),
            _ => null,
        };
        var name = JournalIdentity.NameOf(userMethod ?? function.Original.Method);
        // The function's identity is computed beside the lock and the input keys (on a process's first journaled map it
        // is the slowest step before the items can start); nothing runs before both are done. It reads the captured
        // values as they are before any item ran.
        var identity = Task.Run(() => JournalIdentity.Of(function.Original));
        FileStream? lockFile = null;
        JournalSession<TIn, TOut>? session = null;
        try
        {
            lockFile = JournalLock.Take(path);
            if (JournalFile.IsNew(path))
            {
                // Nothing to resume: the items start at once and the journal is created meanwhile (on the writer's
                // thread). No keys are needed (entries store the inputs); the first input is checked now, the others
                // as they are recorded.
                if (list is not null)
                {
                    CheckRecordable(list, path);
                }
                session = new JournalSession<TIn, TOut>(options, path, lockFile, inputs, list, keys: null, grid, stop);
                var id = identity.GetAwaiter().GetResult();
                session._writer = new JournalWriter(path, options.TimeProvider, session.CreateJournal(id, name), session.OnWriteFailure);
                return session;
            }
            var keys = list is null ? null : ComputeKeys(list, path);
            session = new JournalSession<TIn, TOut>(options, path, lockFile, inputs, list, keys, grid, stop);
            session._file = JournalFile.OpenForWriting(path, options.TimeProvider, lockFile);
            if (list is null)
            {
                session.PlanStreamed(identity.GetAwaiter().GetResult(), name);
            }
            else
            {
                session.Plan(identity.GetAwaiter().GetResult(), name);
            }
            session.Begin();
            return session;
        }
        catch
        {
            session?.Dispose();
            lockFile?.Dispose();
            // An error here wins over one of the identity (which is then not needed): observe it.
            _ = identity.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Opens a journal that does not exist yet: the writer's first step.</summary>
    private Func<(JournalFile, long, long)> CreateJournal(string identity, string name) => () =>
    {
        _file = JournalFile.Create(Path, _time, _lockFile, (connection, tx) => NewGeneration(connection, tx, identity, name, "first run", [], [], insertRun: true));
        return (_file, _gen, _run);
    };

    private void Begin()
    {
        using (var tx = _file!.Connection.BeginTransaction())
        {
            InsertRun(tx);
            tx.Commit();
        }
        if (_firstRecordedFailure is { } failure && _options.ErrorPolicy == ErrorPolicy.Stop)
        {
            // The run would stop at this failure again: report it now rather than compute anything.
            Close("stopped: an item failed in an earlier run");
            throw failure;
        }
        var file = _file!;
        _writer = new JournalWriter(Path, _time, () => (file, _gen, _run), OnWriteFailure);
    }

    private void InsertRun(Microsoft.Data.Sqlite.SqliteTransaction tx)
    {
        var connection = tx.Connection!;
        JournalFile.Execute(connection, JournalSql.InsertRun, tx,
            ("$gen", _gen), ("$pid", Environment.ProcessId), ("$host", Environment.MachineName), ("$command", CommandLine.Current()),
            ("$started", JournalFile.Now(_time)), ("$resumed", _settled));
        _run = (long)JournalFile.Scalar(connection, JournalSql.LastRowId, tx)!;
    }

    /// <summary>The run ended normally (all items, or stopped by an interrupt): commits everything and records the outcome.</summary>
    /// <param name="report">The run's report.</param>
    /// <param name="signal">The interrupt that stopped the run, or null.</param>
    /// <param name="inputEnded">Whether the run read its input to the end (what says, for a streamed input, whether items remain).</param>
    public RunReport Finish(RunReport report, string? signal, bool inputEnded)
    {
        _writer!.Complete();
        if (_writer.Error is { } error)
        {
            Close("stopped: the journal could not be written");
            throw error;
        }
        var saved = Saved();
        if (signal is not null && (_inputs is { } list ? saved < list.Count : !inputEnded))
        {
            Close($"interrupted by {signal}");
            throw Interrupted(signal, saved);
        }
        Close(report.Stopped ? "stopped early" : report.Failed > 0 ? $"finished, {report.Failed} failed" : "finished");
        return report;
    }

    /// <summary>The run threw: commits what finished, records the outcome; the caller rethrows.</summary>
    public void Stop(Exception error)
    {
        _writer?.Complete();
        var outcome = error switch
        {
            OperationCanceledException => "cancelled",
            JournalException => "stopped: the journal could not be written",
            ItemFailedException f => $"stopped: item {f.Index} failed",
            _ => $"stopped: {error.GetType().Name}",
        };
        Close(outcome);
    }

    public void Dispose()
    {
        _writer?.Complete();
        if (_run > 0)
        {
            Close("stopped before its items ran");
        }
        _file?.Dispose();
        _lockFile.Dispose();
    }

    private void Close(string outcome)
    {
        if (_closed || _file is null)
        {
            return;
        }
        _closed = true;
        try
        {
            JournalFile.Execute(_file.Connection, JournalSql.EndRun, null,
                ("$ended", JournalFile.Now(_time)), ("$outcome", outcome), ("$run", _run));
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // A full disk: the run's end stays unrecorded; every committed item is still there.
        }
    }

    private long Saved()
    {
        var values = JournalStore.Count(_file!.Connection, JournalSql.CountValues, _gen);
        var failures = JournalStore.Count(_file.Connection, JournalSql.CountFailures, _gen);
        return values + failures;
    }

    private void OnWriteFailure(Exception error) => _stop.DrainNow();

    private RunInterruptedException Interrupted(string signal, long saved)
    {
        var total = _inputs?.Count;
        var command = CommandLine.Current();
        var saving = total is { } n
            ? string.Create(CultureInfo.InvariantCulture, $"{saved:N0} of {n:N0} items are saved in the journal '{Path}' ({saved - _settled:N0} finished in this run); {n - saved:N0} remain.")
            : string.Create(CultureInfo.InvariantCulture, $"{saved:N0} items are saved in the journal '{Path}' ({saved - _settled:N0} finished in this run); the rest of the input was not read.");
        var message = string.Create(CultureInfo.InvariantCulture, $"""
            The run was interrupted by {signal}. {saving}
            To resume, run the same map again with the same journal; nothing saved is computed again:
              {command}
            (in code: the same Par call with new ParOptions {"{"} Journal = "{Path}" {"}"}).
            """);
        return new RunInterruptedException(Path, signal, saved, total, command, message);
    }

    /// <summary>An <see cref="IList{T}"/> seen as an <see cref="IReadOnlyList{T}"/> without copying.</summary>
    private sealed class ListView(IList<TIn> list) : IReadOnlyList<TIn>
    {
        public TIn this[int index] => list[index];

        public int Count => list.Count;

        public IEnumerator<TIn> GetEnumerator() => list.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => list.GetEnumerator();
    }
}
