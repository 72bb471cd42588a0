using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

using Parmap.Cli.Native;


namespace Parmap.Cli.Sweep;

/// <summary>
/// No orphans, even when <c>parmap</c> is killed with SIGKILL: every program runs in a process group of its own, and a
/// small watchdog process (this same executable in reaper mode, in a group of its own too) is told each group as it
/// starts and ends. The watchdog reads a pipe whose only writer is <c>parmap</c>; when <c>parmap</c> dies, however it
/// dies, the pipe ends and the watchdog kills every group still listed, then exits.
/// </summary>
/// <remarks>A program started in the microseconds between its start and its announcement, when <c>parmap</c> is killed
/// in exactly that moment, is not covered.</remarks>
internal sealed unsafe class ProcessGroups : IDisposable
{
    /// <summary>Set in the watchdog's environment: <see cref="RunReaperIfAsked"/> then runs the watchdog instead of the command line.</summary>
    public const string ReaperVariable = "PARMAP_REAPER";

    private readonly Lock _lock = new();
    private int _pipe;

    private ProcessGroups(int pipe) => _pipe = pipe;

    /// <summary>Starts the watchdog.</summary>
    public static ProcessGroups Start()
    {
        var host = Parmap.Executors.Processes.WorkerLaunch.HostArguments();
        var path = Environment.ProcessPath ?? throw new PlatformNotSupportedException("The path of this executable is unknown, so parmap cannot start its watchdog.");
        var fds = stackalloc int[2];
        if (Posix.pipe2(fds, Posix.O_CLOEXEC) != 0)
        {
            throw new IOException($"Could not create the watchdog's pipe: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}")
            .Where(e => !e.StartsWith(ReaperVariable + "=", StringComparison.Ordinal))
            .Append($"{ReaperVariable}=1")
            .ToArray();
        _ = Spawner.Start(path, [path, .. host.Skip(1)], environment, fds[0], Spawner.DevNull, Spawner.Inherit);
        _ = Posix.close(fds[0]);
        return new ProcessGroups(fds[1]);
    }

    public void Add(int group) => Send('+', group);

    public void Remove(int group) => Send('-', group);

    private void Send(char op, int group)
    {
        var line = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{op}{group}\n"));
        lock (_lock)
        {
            if (_pipe < 0)
            {
                return;
            }
            fixed (byte* b = line)
            {
                _ = Posix.write(_pipe, b, line.Length);
            }
        }
    }

    /// <summary>Closes the pipe: the watchdog kills what is left (nothing, after a normal run) and exits.</summary>
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

    /// <summary>In the watchdog process: follows the groups on standard input until it ends, then kills those left. Returns whether this process is the watchdog.</summary>
    public static bool RunReaperIfAsked()
    {
        if (Environment.GetEnvironmentVariable(ReaperVariable) != "1")
        {
            return false;
        }
        var live = new HashSet<int>();
        using var input = new StreamReader(Console.OpenStandardInput(), Encoding.ASCII);
        while (input.ReadLine() is { } line)
        {
            if (line.Length > 1 && int.TryParse(line.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var group))
            {
                _ = line[0] == '+' ? live.Add(group) : live.Remove(group);
            }
        }
        foreach (var group in live)
        {
            _ = Posix.kill(-group, Posix.SIGKILL);
        }
        return true;
    }
}
