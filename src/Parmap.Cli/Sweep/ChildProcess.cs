using System.Runtime.InteropServices;

using Parmap.Cli.Native;

namespace Parmap.Cli.Sweep;

/// <summary>What one run of a program gave: how it ended and everything it wrote.</summary>
/// <param name="ExitCode">The exit code; 128 + the signal number when a signal ended it (as shells report it).</param>
/// <param name="Signal">The signal that ended it, if one did.</param>
/// <param name="TimedOut">Whether it was killed for running longer than the timeout.</param>
/// <param name="Duration">Wall time from start to exit.</param>
/// <param name="Stdout">Everything it wrote to standard output.</param>
/// <param name="Stderr">Everything it wrote to standard error.</param>
internal sealed record ChildResult(int ExitCode, int? Signal, bool TimedOut, TimeSpan Duration, byte[] Stdout, byte[] Stderr);

/// <summary>
/// Runs one program directly (no shell) in a process group of its own, with its output captured, and makes sure that
/// nothing of it is left when it ends: on exit, timeout or cancellation the whole group is killed. Blocks the calling
/// thread (a worker thread of the run) in <c>poll</c>: no other thread, no timer.
/// </summary>
internal static unsafe class ChildProcess
{
    private const int WakeMs = 100;
    private static readonly TimeSpan s_termGrace = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="path"/> with <paramref name="argv"/> (argv[0] included) and <paramref name="environment"/> ("NAME=value").</summary>
    /// <exception cref="IOException">The program could not be started (the message names it and the reason).</exception>
    public static ChildResult Run(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, TimeSpan? timeout, ProcessGroups groups, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        var (pid, stdout, stderr) = Spawn(path, argv, environment);
        groups.Add(pid);
        try
        {
            var output = new Collector(stdout, stderr);
            var timedOut = false;
            long? killAt = null;
            bool Expired() => timeout is { } t && clock.GetElapsedTime(started) > t;
            void Stop()
            {
                if (killAt is null)
                {
                    _ = Posix.kill(-pid, Posix.SIGTERM);
                    killAt = clock.GetTimestamp() + (long)(s_termGrace.TotalSeconds * clock.TimestampFrequency);
                }
                else if (clock.GetTimestamp() > killAt)
                {
                    _ = Posix.kill(-pid, Posix.SIGKILL);
                }
            }
            while (!output.Done)
            {
                output.Poll(WakeMs);
                if (Expired() || cancellationToken.IsCancellationRequested)
                {
                    timedOut |= !cancellationToken.IsCancellationRequested;
                    Stop();
                }
                else if (!output.Done && HasExited(pid))
                {
                    // The program ended but something it started still holds its output open: end that too.
                    _ = Posix.kill(-pid, Posix.SIGKILL);
                }
            }
            // Output closed: wait for the program itself (it may close its output and go on running).
            for (var nap = 1; !HasExited(pid); nap = Math.Min(nap * 2, WakeMs))
            {
                if (Expired() || cancellationToken.IsCancellationRequested)
                {
                    timedOut |= !cancellationToken.IsCancellationRequested;
                    Stop();
                }
                Posix.Nap(nap);
            }
            // The leader is a zombie, so its group id cannot be reused yet: kill whatever of the group is left, then reap.
            _ = Posix.kill(-pid, Posix.SIGKILL);
            _ = Posix.waitpid(pid, out var status, 0);
            var duration = clock.GetElapsedTime(started);
            var signal = (status & 0x7f) == 0 ? (int?)null : status & 0x7f;
            var exitCode = signal is { } s ? 128 + s : (status >> 8) & 0xff;
            cancellationToken.ThrowIfCancellationRequested();
            return new ChildResult(exitCode, signal, timedOut, duration, output.Stdout, output.Stderr);
        }
        finally
        {
            groups.Remove(pid);
        }
    }

    /// <summary>Whether the child has exited, without reaping it (<c>WNOWAIT</c>): its pid stays reserved until <c>waitpid</c>.</summary>
    private static bool HasExited(int pid)
    {
        var info = stackalloc byte[128];
        new Span<byte>(info, 128).Clear();
        var r = Posix.waitid(Posix.P_PID, pid, info, Posix.WEXITED | Posix.WNOHANG | Posix.WNOWAIT);
        return r != 0 || *(int*)(info + 16) != 0;
    }

    private static (int Pid, int Stdout, int Stderr) Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
    {
        var outPipe = stackalloc int[2];
        var errPipe = stackalloc int[2];
        if (Posix.pipe2(outPipe, Posix.O_CLOEXEC) != 0)
        {
            throw new IOException($"Could not create a pipe for '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
        if (Posix.pipe2(errPipe, Posix.O_CLOEXEC) != 0)
        {
            _ = Posix.close(outPipe[0]);
            _ = Posix.close(outPipe[1]);
            throw new IOException($"Could not create a pipe for '{path}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
        try
        {
            return (Spawner.Start(path, argv, environment, Spawner.DevNull, outPipe[1], errPipe[1]), outPipe[0], errPipe[0]);
        }
        catch
        {
            _ = Posix.close(outPipe[0]);
            _ = Posix.close(errPipe[0]);
            throw;
        }
        finally
        {
            _ = Posix.close(outPipe[1]);
            _ = Posix.close(errPipe[1]);
        }
    }

    /// <summary>Reads a child's two pipes to their end, whichever has data, on the calling thread.</summary>
    private sealed class Collector(int stdout, int stderr)
    {
        private readonly MemoryStream _out = new();
        private readonly MemoryStream _err = new();
        [ThreadStatic]
        private static byte[]? s_buffer;

        private readonly byte[] _buffer = s_buffer ??= new byte[64 * 1024];
        private int _stdout = stdout;
        private int _stderr = stderr;

        public bool Done => _stdout < 0 && _stderr < 0;

        public byte[] Stdout => _out.ToArray();

        public byte[] Stderr => _err.ToArray();

        public void Poll(int timeoutMs)
        {
            var fds = stackalloc Posix.PollFd[2];
            fds[0] = new Posix.PollFd { Fd = _stdout, Events = Posix.POLLIN };
            fds[1] = new Posix.PollFd { Fd = _stderr, Events = Posix.POLLIN };
            if (Posix.poll(fds, 2, timeoutMs) <= 0)
            {
                return;
            }
            if (fds[0].Revents != 0)
            {
                _stdout = Drain(_stdout, _out);
            }
            if (fds[1].Revents != 0)
            {
                _stderr = Drain(_stderr, _err);
            }
        }

        /// <summary>One read; closes the pipe at its end and returns -1 (poll ignores negative descriptors).</summary>
        private int Drain(int fd, MemoryStream into)
        {
            fixed (byte* b = _buffer)
            {
                var n = Posix.read(fd, b, _buffer.Length);
                if (n > 0)
                {
                    into.Write(_buffer, 0, (int)n);
                    return fd;
                }
                if (n < 0 && Marshal.GetLastPInvokeError() == Posix.EINTR)
                {
                    return fd;
                }
            }
            _ = Posix.close(fd);
            return -1;
        }
    }
}
