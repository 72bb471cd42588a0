using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

using Microsoft.Win32.SafeHandles;

using Parmap.Scheduling;

namespace Parmap.Executors.Processes;

/// <summary>
/// The start of a worker process, before it serves anything: it dies with its owner (parent-death signal, checked
/// against the owner's pid), ignores Ctrl-C (the owner decides), and moves the protocol off fds 0 and 1 so that user
/// code writing to the console cannot corrupt it. Then <see cref="WorkerServer"/> serves the owner.
/// </summary>
internal static class WorkerMain
{
    private static PosixSignalRegistration? s_ignoreInterrupt;

    /// <summary>Runs the worker and ends the process; never returns.</summary>
    public static void RunAndExit(string workerIdText)
    {
        int code;
        try
        {
            code = Run();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Parmap worker {workerIdText} failed: {e}");
            code = 70;
        }
        Environment.Exit(code);
    }

    private static int Run()
    {
        var owner = int.Parse(Environment.GetEnvironmentVariable(WorkerLaunch.OwnerVariable) ?? "0", CultureInfo.InvariantCulture);
        WorkerLaunch.ClearWorkerEnvironment();
        if (OperatingSystem.IsLinux())
        {
            // Killed by the kernel when the owner's spawner thread (so the owner) dies, even by SIGKILL. The owner may
            // have died before the request took effect: then the parent is already someone else.
            Native.KillMeWhenParentDies();
            if (Native.ParentProcessId() != owner)
            {
                return 0;
            }
        }
        // Ctrl-C reaches the whole process group; the owner decides what happens to its workers.
        s_ignoreInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, static context => context.Cancel = true);
        // The protocol moves to private copies of fds 0 and 1; fd 1 then points at stderr (which the owner forwards)
        // and fd 0 at /dev/null, so Console.Write or Console.Read in user code cannot touch the protocol.
        var protocolIn = Native.DupCloseOnExec(0);
        var protocolOut = Native.DupCloseOnExec(1);
        Native.Redirect(2, 1);
        using (var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read))
        {
            Native.Redirect((int)devNull.DangerousGetHandle(), 0);
        }
        Console.SetOut(TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true }));
        Console.SetIn(TextReader.Null);
        var input = new FileStream(new SafeFileHandle(protocolIn, ownsHandle: true), FileAccess.Read, bufferSize: 0);
        var output = new FileStream(new SafeFileHandle(protocolOut, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        // Every item here runs in a lane of the owner's run: a map it starts is nested and runs inline.
        Lane.Inside = true;
        return new WorkerServer(input, output).Serve();
    }
}
