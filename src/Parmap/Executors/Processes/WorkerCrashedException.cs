namespace Parmap;

/// <summary>
/// A worker process died while running an item, every time the item was tried: it was isolated from the rest of its
/// batch (which completed on fresh workers), so only this item fails. Carries how the worker ended and what it wrote
/// to standard error.
/// </summary>
/// <remarks>The scheduler wraps it in an <see cref="ItemFailedException"/> that adds the item's index.</remarks>
public sealed class WorkerCrashedException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="workerId">Id of the worker (as in the <c>[worker N]</c> prefix of its output).</param>
    /// <param name="processId">Its operating-system process id.</param>
    /// <param name="exitCode">Its exit code, or <see langword="null"/> if unknown.</param>
    /// <param name="reason">Why the worker was lost, in a few words.</param>
    /// <param name="stderrHead">The start of what the worker wrote to standard error (and standard output).</param>
    /// <param name="stderrTail">The end of it.</param>
    /// <param name="item">The input that was running.</param>
    public WorkerCrashedException(int workerId, int processId, int? exitCode, string reason, string stderrHead, string stderrTail, object? item)
        : base(Describe(workerId, processId, exitCode, reason, stderrHead, stderrTail, item))
    {
        WorkerId = workerId;
        ProcessId = processId;
        ExitCode = exitCode;
        Reason = reason;
        StderrHead = stderrHead;
        StderrTail = stderrTail;
        Item = item;
    }

    /// <summary>Id of the worker, as in the <c>[worker N]</c> prefix of its forwarded output.</summary>
    public int WorkerId { get; }

    /// <summary>Operating-system process id of the worker.</summary>
    public int ProcessId { get; }

    /// <summary>Exit code as .NET reports it (128 + N when a signal N ended the process), or <see langword="null"/> if unknown.</summary>
    public int? ExitCode { get; }

    /// <summary>The signal that ended the worker, when the exit code says one did (128 + signal), else <see langword="null"/>.</summary>
    public int? Signal => ExitCode is > 128 and < 128 + 65 ? ExitCode - 128 : null;

    /// <summary>Why the worker was lost, in a few words (for example "the worker process exited").</summary>
    public string Reason { get; }

    /// <summary>The first lines the worker wrote to standard error (its standard output goes there too).</summary>
    public string StderrHead { get; }

    /// <summary>The last lines the worker wrote to standard error.</summary>
    public string StderrTail { get; }

    /// <summary>The input that was running when the worker died.</summary>
    public object? Item { get; }

    private static string Describe(int workerId, int processId, int? exitCode, string reason, string head, string tail, object? item)
    {
        var how = exitCode switch
        {
            null => "",
            > 128 and < 128 + 65 => $" with exit code {exitCode} (signal {exitCode - 128}{SignalName(exitCode.Value - 128)})",
            _ => $" with exit code {exitCode}",
        };
        var output = (head, tail) switch
        {
            ("", "") => " It wrote nothing to standard error.",
            (_, "") => $" Its standard error:{Environment.NewLine}{head}",
            _ => $" Its standard error began:{Environment.NewLine}{head}{Environment.NewLine}... and ended:{Environment.NewLine}{tail}",
        };
        return $"Worker {workerId} (process {processId}) died{how} while running input {ItemFailedException.Quote(item)}: {reason}. " +
            "Likely causes: Environment.Exit or Environment.FailFast in the function, a stack overflow, a crash in native code, " +
            "running out of memory (killed by the kernel), or the process was killed from outside. " +
            "The rest of its batch ran on a fresh worker; this item ran once (ParOptions.Retries runs it again, for when it " +
            $"was not the item's fault).{output}";
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => ", SIGABRT: abort, FailFast or stack overflow",
        9 => ", SIGKILL: killed, maybe by the out-of-memory killer",
        11 => ", SIGSEGV: invalid memory access in native code",
        15 => ", SIGTERM",
        _ => "",
    };
}
