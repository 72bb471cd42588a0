using System.Diagnostics;

using Parmap.Remote;

namespace Parmap.Executors.Processes;

// Starting a worker: spawn it, then the handshake (Hello: protocol, build, settings, initializer; Ready or Refused).
internal sealed partial class WorkerProcess
{
    /// <summary>How many workers are started, one after another, before a start that keeps failing fails the run.</summary>
    private const int StartAttempts = 3;

    /// <summary>
    /// Starts a worker process and waits until it has checked the build, run the initializer and said Ready. A worker
    /// killed by a signal or silent while it starts (the OOM killer, a frozen process) is replaced, up to
    /// <see cref="StartAttempts"/> starts in all; a start that cannot succeed (another build, an initializer that throws,
    /// startup hooks off) fails at once.
    /// </summary>
    /// <exception cref="WorkerStartException">The worker cannot start; after repeated transient failures, the message lists each.</exception>
    public static async Task<WorkerProcess> StartAsync(WorkerSettings settings, OutputForwarder forwarder, CancellationToken cancellationToken)
    {
        var failures = new List<WorkerStartException>();
        while (true)
        {
            try
            {
                return await StartOnceAsync(settings, forwarder, cancellationToken).ConfigureAwait(false);
            }
            catch (WorkerStartException e) when (e.Transient)
            {
                failures.Add(e);
                if (failures.Count == StartAttempts)
                {
                    throw new WorkerStartException(
                        $"{StartAttempts} worker processes in a row could not start: "
                        + string.Join(" ", failures.Select((f, k) => $"({k + 1}) {f.Message}")), failures[^1]);
                }
            }
        }
    }

    private static async Task<WorkerProcess> StartOnceAsync(WorkerSettings settings, OutputForwarder forwarder, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref s_lastId);
        var word = PositionWord.Create(id);
        Process process;
        try
        {
            process = await Spawner.StartAsync(WorkerLaunch.StartInfo(id, settings.ProcessorCount)).ConfigureAwait(false);
        }
        catch
        {
            word?.Unlink();
            word?.Dispose();
            throw;
        }
        var worker = new WorkerProcess(id, process, forwarder, settings.Time, word);
        try
        {
            await worker.HandshakeAsync(settings, cancellationToken).ConfigureAwait(false);
            return worker;
        }
        catch
        {
            worker.Kill();
            await worker.WaitGoneAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task HandshakeAsync(WorkerSettings settings, CancellationToken cancellationToken)
    {
        var writer = Buffer.Begin(MessageKind.Hello);
        writer.Write(Protocol.Version);
        writer.Write(BuildId.EntryMvid);
        writer.Write(BuildId.ParmapMvid);
        writer.Write(settings.ItemTimeout is { } t ? (long)t.TotalMilliseconds : -1L);
        writer.Write(settings.RecycleAboveMemory is not null);
        if (settings.Initializer is { } init)
        {
            writer.Write(init);
        }
        else
        {
            writer.WriteNil();
        }
        if (_word is { } word)
        {
            writer.Write(word.Path);
        }
        else
        {
            writer.WriteNil();
        }
        try
        {
            await SendAsync(Buffer.End(ref writer)).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The worker died at once; its stream's end below says how.
        }
        // No fixed time limit: a start may be slow (a busy machine, an initializer loading data), but not lifeless.
        var limit = settings.StartSilenceLimit;
        var answer = await ReceiveAsync(limit, cancellationToken).ConfigureAwait(false);
        if (answer.Silent)
        {
            throw await StartFailureAsync($"it showed no sign of life (no CPU time used, no message) for {limit.TotalSeconds:0.#} s while starting, and was killed", transient: true).ConfigureAwait(false);
        }
        if (answer.Frame is not { } frame)
        {
            throw await StartFailureAsync(_protocolError ?? "it exited before it was ready", transient: null).ConfigureAwait(false);
        }
        using (frame)
        {
            var reader = frame.Reader();
            var kind = (MessageKind)reader.ReadInt32();
            if (kind == MessageKind.Refused)
            {
                var message = reader.ReadString() ?? "it refused to run";
                var cause = reader.TryReadNil() ? null : RemoteError.Read(ref reader, Origin);
                throw new WorkerStartException($"Worker {Id} (process {Pid}) refused to run: {message}", cause);
            }
            if (kind != MessageKind.Ready || reader.ReadInt64() != Protocol.Magic)
            {
                throw await StartFailureAsync("its first message was not a Parmap handshake", transient: false).ConfigureAwait(false);
            }
        }
        // The worker has mapped its position word: the file can go (the memory stays shared while both map it).
        _word?.Unlink();
        _starting = false;
    }

    /// <param name="what">What happened.</param>
    /// <param name="transient">Whether another start may succeed; null: decided by how the worker ended (killed by a signal: yes).</param>
    private async Task<WorkerStartException> StartFailureAsync(string what, bool? transient)
    {
        Kill();
        var (code, head, tail) = await CollectDeathAsync().ConfigureAwait(false);
        // Killed by a signal (exit code 128 + signal; the owner's own kill above comes after the worker had already ended).
        var signalled = code is > 128 and < 160;
        var output = head.Length == 0 ? " It wrote nothing to standard error." : $" Its standard error:{Environment.NewLine}{head}{(tail.Length > 0 && tail != head ? $"{Environment.NewLine}...{Environment.NewLine}{tail}" : "")}";
        var isTransient = transient ?? signalled;
        var advice = isTransient
            ? " It was killed from outside (the out-of-memory killer, a signal) or stopped; a fresh worker is tried."
            : " Workers are this application relaunched with a .NET startup hook; if the app is NativeAOT, trimmed, or disables startup hooks, " +
              "call ParmapWorker.RunIfWorker() as the first line of Main.";
        return new WorkerStartException(
            $"Worker {Id} (process {Pid}, exit code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}) could not start: {what}.{advice}{output}")
        {
            Transient = isTransient,
        };
    }
}
