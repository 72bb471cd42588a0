namespace Parmap.Executors.Processes;

// The end of a worker process: killed, asked to stop, waited for, and what it left (exit code, stderr).
internal sealed partial class WorkerProcess
{
    public void Kill()
    {
        Retired = true;
        if (Interlocked.Exchange(ref _killed, 1) != 0)
        {
            return;
        }
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    /// <summary>Asks the worker to finish and exit (recycling, idle); kills it if it has not gone after a grace period.</summary>
    public async Task StopAsync()
    {
        Retired = true;
        try
        {
            var writer = Buffer.Begin(MessageKind.Shutdown);
            await SendAsync(Buffer.End(ref writer)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Already gone.
        }
        if (!await WaitExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
        {
            Kill();
        }
        await WaitGoneAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until the process has exited (killing it after 2 s) and its stderr has been read to the end (at most 1 s more).</summary>
    public async Task WaitGoneAsync()
    {
        if (!await WaitExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
        {
            Kill();
            await WaitExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        // Processes the user's code started may hold the stderr pipe open after the worker is gone: do not wait for them.
        await Task.WhenAny(_stderr.Completion, Task.Delay(TimeSpan.FromSeconds(1), _time)).ConfigureAwait(false);
        WorkerRegistry.Remove(_process);
        // Release the pipes now rather than at some later GC: recycling may start hundreds of workers.
        _toWorker.Dispose();
        _fromWorker.Dispose();
        if (_word is { } word)
        {
            lock (word)
            {
                if (_position is null)
                {
                    word.Unlink();
                    _position = word.Read();
                    word.Dispose();
                }
            }
        }
    }

    /// <summary>After the worker's stream ended: its exit code and the head and tail of its stderr.</summary>
    public async Task<(int? ExitCode, string Head, string Tail)> CollectDeathAsync()
    {
        await WaitGoneAsync().ConfigureAwait(false);
        int? code = null;
        try
        {
            if (_process.HasExited)
            {
                code = _process.ExitCode;
            }
        }
        catch (InvalidOperationException)
        {
            code = null;
        }
        var (head, tail) = _stderr.Snapshot();
        return (code, head, tail);
    }

    private async Task<bool> WaitExitAsync(TimeSpan limit)
    {
        try
        {
            using var cts = new CancellationTokenSource(limit, _time);
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
