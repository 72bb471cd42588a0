using Parmap.Remote;

namespace Parmap.Executors.Processes;

// Starting a worker: spawn it, then the handshake (Hello: protocol, build, settings, initializer; Ready or Refused).
internal sealed partial class WorkerProcess
{
    private static readonly TimeSpan s_startupLimit = TimeSpan.FromSeconds(60);

    /// <summary>Starts a worker process and waits until it has checked the build, run the initializer and said Ready.</summary>
    public static async Task<WorkerProcess> StartAsync(WorkerSettings settings, OutputForwarder forwarder, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref s_lastId);
        var process = await Spawner.StartAsync(WorkerLaunch.StartInfo(id, settings.ProcessorCount)).ConfigureAwait(false);
        var worker = new WorkerProcess(id, process, forwarder, settings.Time);
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
        try
        {
            await SendAsync(Buffer.End(ref writer)).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The worker died at once; its stream's end below says how.
        }
        using var limit = new CancellationTokenSource(s_startupLimit, _time);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        (Frame? Frame, bool Silent) answer;
        try
        {
            answer = await ReceiveAsync(null, startup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw await StartFailureAsync($"it did not answer within {s_startupLimit.TotalSeconds:0} s").ConfigureAwait(false);
        }
        if (answer.Frame is not { } frame)
        {
            throw await StartFailureAsync(_protocolError ?? "it exited before it was ready").ConfigureAwait(false);
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
                throw await StartFailureAsync("its first message was not a Parmap handshake").ConfigureAwait(false);
            }
        }
    }

    private async Task<WorkerStartException> StartFailureAsync(string what)
    {
        Kill();
        var (code, head, tail) = await CollectDeathAsync().ConfigureAwait(false);
        var output = head.Length == 0 ? " It wrote nothing to standard error." : $" Its standard error:{Environment.NewLine}{head}{(tail.Length > 0 && tail != head ? $"{Environment.NewLine}...{Environment.NewLine}{tail}" : "")}";
        return new WorkerStartException(
            $"Worker {Id} (process {Pid}, exit code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}) could not start: {what}. " +
            "Workers are this application relaunched with a .NET startup hook; if the app is NativeAOT, trimmed, or disables startup hooks, " +
            $"call ParmapWorker.RunIfWorker() as the first line of Main.{output}");
    }
}
