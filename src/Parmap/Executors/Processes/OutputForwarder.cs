using System.Text;
using System.Threading.Channels;

namespace Parmap.Executors.Processes;

/// <summary>
/// Forwards what workers write (their stderr, where their stdout goes too) to one destination, each line prefixed
/// <c>[worker N]</c>. Pumps never wait for the destination: lines queue in an unbounded channel that one task writes
/// out, so a slow terminal cannot block a worker, and nothing is dropped. One forwarder per destination for the whole
/// process, since a worker outlives the map that started it (it waits in the <see cref="WorkerPark"/> for the next one).
/// </summary>
internal sealed class OutputForwarder
{
    private static readonly Lock s_lock = new();
    private static readonly Dictionary<TextWriter, OutputForwarder> s_byDestination = new(ReferenceEqualityComparer.Instance);
    private static OutputForwarder? s_stderr;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TextWriter? _destination;
    private readonly Task _writer;
    private int _pending;

    private OutputForwarder(TextWriter? destination)
    {
        _destination = destination;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The forwarder to <paramref name="destination"/> (null: this process's stderr).</summary>
    public static OutputForwarder For(TextWriter? destination)
    {
        lock (s_lock)
        {
            if (destination is null)
            {
                return s_stderr ??= new OutputForwarder(null);
            }
            if (!s_byDestination.TryGetValue(destination, out var forwarder))
            {
                forwarder = new OutputForwarder(destination);
                s_byDestination[destination] = forwarder;
            }
            return forwarder;
        }
    }

    public void Post(string line)
    {
        Interlocked.Increment(ref _pending);
        _lines.Writer.TryWrite(line);
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until every line posted so far has been written.</summary>
    public async Task DrainAsync(TimeSpan limit, TimeProvider time)
    {
        var start = time.GetTimestamp();
        while (Volatile.Read(ref _pending) > 0 && time.GetElapsedTime(start) < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), time).ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var destination = _destination ?? Console.Error;
                destination.WriteLine(line);
                destination.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The destination is gone (closed stderr): the worker must still not block.
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}

/// <summary>Reads one worker's stderr to its end: forwards each line and keeps the head and tail for crash reports.</summary>
internal sealed class StderrPump
{
    private const int HeadChars = 2048;
    private const int TailChars = 4096;
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private readonly Lock _lock = new();
    private readonly string _prefix;
    private readonly OutputForwarder _forwarder;

    public StderrPump(Stream stderr, int workerId, OutputForwarder forwarder)
    {
        _prefix = $"[worker {workerId}] ";
        _forwarder = forwarder;
        Completion = Task.Run(() => PumpAsync(stderr));
    }

    /// <summary>Completes at the end of the worker's stderr (when it and every process that inherited it have exited).</summary>
    public Task Completion { get; }

    public (string Head, string Tail) Snapshot()
    {
        lock (_lock)
        {
            var head = _head.ToString().TrimEnd();
            var tail = _tail.ToString().TrimEnd();
            return (head, tail);
        }
    }

    private async Task PumpAsync(Stream stderr)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var line = new StringBuilder();
        try
        {
            while (true)
            {
                var n = await stderr.ReadAsync(bytes).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                var count = decoder.GetChars(bytes, 0, n, chars, 0);
                Keep(chars.AsSpan(0, count));
                for (var i = 0; i < count; i++)
                {
                    var c = chars[i];
                    if (c == '\n')
                    {
                        _forwarder.Post(_prefix + line.ToString().TrimEnd('\r'));
                        line.Clear();
                    }
                    else
                    {
                        line.Append(c);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or DecoderFallbackException)
        {
            // The pipe broke: whatever arrived was forwarded.
        }
        if (line.Length > 0)
        {
            _forwarder.Post(_prefix + line);
        }
    }

    private void Keep(ReadOnlySpan<char> text)
    {
        lock (_lock)
        {
            var room = HeadChars - _head.Length;
            if (room > 0)
            {
                _head.Append(text[..Math.Min(room, text.Length)]);
                text = text[Math.Min(room, text.Length)..];
            }
            _tail.Append(text);
            if (_tail.Length > TailChars)
            {
                _tail.Remove(0, _tail.Length - TailChars);
            }
        }
    }
}
