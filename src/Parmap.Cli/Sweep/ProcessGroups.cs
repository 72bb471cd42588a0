using System.Globalization;
using System.Runtime.InteropServices;

using Parmap.Cli.Native;

namespace Parmap.Cli.Sweep;

/// <summary>
/// No orphans, even when <c>parmap</c> is killed with SIGKILL: every program runs in a process group of its own, listed
/// as an empty file (named by the group id) in a private directory while it runs. A watchdog, a <c>/bin/sh</c> in a
/// group of its own, waits on a pipe whose only writer is <c>parmap</c>; when <c>parmap</c> dies, however it dies, the
/// pipe ends and the watchdog kills every group still listed, removes the directory and exits. (A shell, not a second
/// .NET process: it starts in a millisecond and uses no memory to speak of.)
/// </summary>
/// <remarks>A program started in the microseconds between its start and its listing, when <c>parmap</c> is killed
/// in exactly that moment, is not covered.</remarks>
internal sealed unsafe class ProcessGroups : IDisposable
{
    private const string Watchdog = "while read -r _; do :; done; for f in \"$0\"/*; do [ -e \"$f\" ] && kill -9 -\"${f##*/}\" 2>/dev/null; done; rm -rf \"$0\"";
    private readonly Lock _lock = new();
    private readonly string _dir;
    private int _pipe;

    private ProcessGroups(string dir, int pipe)
    {
        _dir = dir;
        _pipe = pipe;
    }

    /// <summary>Starts the watchdog.</summary>
    /// <exception cref="IOException">The directory or the watchdog could not be made.</exception>
    public static ProcessGroups Start()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"parmap-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var fds = stackalloc int[2];
        if (Posix.pipe2(fds, Posix.O_CLOEXEC) != 0)
        {
            throw new IOException($"Could not create the watchdog's pipe: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        try
        {
            _ = Spawner.Start("/bin/sh", ["/bin/sh", "-c", Watchdog, dir], ["PATH=/usr/bin:/bin"], fds[0], Spawner.DevNull, Spawner.DevNull);
        }
        catch
        {
            _ = Posix.close(fds[1]);
            throw;
        }
        finally
        {
            _ = Posix.close(fds[0]);
        }
        return new ProcessGroups(dir, fds[1]);
    }

    /// <summary>Lists a program's group (its pid) while it runs.</summary>
    public void Add(int group) => File.WriteAllBytes(Entry(group), []);

    /// <summary>Unlists a group; called before the group's leader is reaped, so its id cannot have been reused.</summary>
    public void Remove(int group) => File.Delete(Entry(group));

    private string Entry(int group) => Path.Combine(_dir, group.ToString(CultureInfo.InvariantCulture));

    /// <summary>Closes the pipe: the watchdog kills what is left (nothing, after a normal run), removes the directory and exits.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_pipe >= 0)
            {
                _ = Posix.close(_pipe);
                _pipe = -1;
            }
        }
    }
}
