using System.Buffers;

using MessagePack;

using Parmap.Remote;
using Parmap.Shipping;

namespace Parmap.Executors.Processes;

// The start of a worker: the handshake (same protocol and build? run the initializer; Ready or Refused) and opening functions.
internal sealed partial class WorkerServer
{
    /// <summary>Checks the build, runs the initializer, answers Ready; returns an exit code when the worker refuses.</summary>
    private int? Greet(Frame hello)
    {
        var reader = hello.Reader();
        var kind = (MessageKind)reader.ReadInt32();
        var version = reader.ReadInt32();
        var entry = reader.ReadString();
        var parmap = reader.ReadString();
        var timeout = reader.ReadInt64();
        _reportMemory = reader.ReadBoolean();
        var initializer = reader.TryReadNil() ? null : reader.ReadBytes()?.ToArray();
        var wordPath = reader.TryReadNil() ? null : reader.ReadString();
        if (kind != MessageKind.Hello || version != Protocol.Version)
        {
            Refuse($"the owner speaks protocol {version}, this worker {Protocol.Version}", null);
            return ExitRefused;
        }
        if (entry != BuildId.EntryMvid || parmap != BuildId.ParmapMvid)
        {
            var which = entry != BuildId.EntryMvid
                ? $"{BuildId.EntryName} has module version id {BuildId.EntryMvid} in the worker but {entry} in the owner"
                : $"Parmap has module version id {BuildId.ParmapMvid} in the worker but {parmap} in the owner";
            Refuse($"it runs a different build of the application than its owner ({which}). The application was probably rebuilt " +
                "or replaced on disk while it ran; restart it so that owner and workers run the same code.", null);
            return ExitRefused;
        }
        if (timeout >= 0)
        {
            _watchdog = new ItemWatchdog(TimeSpan.FromMilliseconds(timeout), AnswerTimedOut, Heartbeat);
        }
        _progress = new BatchProgress(PositionWord.Open(wordPath), SendPartial);
        if (initializer is not null)
        {
            // Heartbeats while the initializer runs (it may load data for minutes): the owner tells a slow start from a stuck one.
            using var beating = new StartHeartbeats(this);
            try
            {
                var action = (Action)FunctionPacker.Unpack(initializer);
                action();
            }
            catch (Exception e)
            {
                Refuse($"its WorkerInitializer threw {e.GetType().Name}: {e.Message}", e);
                return ExitRefused;
            }
        }
        lock (_writeLock)
        {
            var writer = _buffer.Begin(MessageKind.Ready);
            writer.Write(Protocol.Magic);
            writer.Write(Environment.ProcessId);
            Send(_buffer.End(ref writer));
        }
        return null;
    }

    private void Refuse(string message, Exception? cause)
    {
        lock (_writeLock)
        {
            var writer = _buffer.Begin(MessageKind.Refused);
            writer.Write(message);
            if (cause is null)
            {
                writer.WriteNil();
            }
            else
            {
                RemoteError.Write(ref writer, cause);
            }
            Send(_buffer.End(ref writer));
        }
    }

    private void Open(ref MessagePackReader message)
    {
        var id = message.ReadInt32();
        var shape = message.ReadInt32();
        var payload = message.ReadBytes()?.ToArray() ?? [];
        try
        {
            var function = FunctionPacker.Unpack(payload);
            _runners.Clear();
            _runners[id] = IRemoteBatchRunner.Create(function, shape);
        }
        catch (Exception error)
        {
            lock (_writeLock)
            {
                var writer = _buffer.Begin(MessageKind.OpenFailed);
                writer.Write(id);
                writer.Write($"{error.GetType().Name}: {error.Message}");
                RemoteError.Write(ref writer, error);
                Send(_buffer.End(ref writer));
            }
        }
    }

    /// <summary>Sends a heartbeat every 0.5 s from a thread of its own until disposed.</summary>
    private sealed class StartHeartbeats : IDisposable
    {
        private readonly ManualResetEventSlim _stop = new();

        public StartHeartbeats(WorkerServer server)
        {
            new Thread(() =>
            {
                while (!_stop.Wait(TimeSpan.FromMilliseconds(500)))
                {
                    server.Heartbeat(-1);
                }
                _stop.Dispose();
            })
            { IsBackground = true, Name = "Parmap worker start heartbeat" }.Start();
        }

        public void Dispose() => _stop.Set();
    }
}
