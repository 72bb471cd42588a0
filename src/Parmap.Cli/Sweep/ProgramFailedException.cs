using System.Text.Json;

namespace Parmap.Cli.Sweep;

/// <summary>
/// An item whose program failed: a non-zero exit, a signal, a timeout, or output that --capture could not read. Thrown
/// to the run, so --retries and the journal treat it as any failing item; it carries the run, and its text form (which
/// the journal records as the failure's details) carries it too, so a resumed run's results still show it.
/// </summary>
internal sealed class ProgramFailedException(string reason, ItemRun run) : Exception(reason)
{
    private const string Marker = "\n--- parmap item run ---\n";

    public ItemRun Run { get; } = run;

    public override string ToString() => $"{GetType().FullName}: {Message}{Marker}{JsonSerializer.Serialize(Run)}";

    /// <summary>The run recorded in a journal failure's details, if the failure was a program's.</summary>
    public static ItemRun? FromDetails(string details)
    {
        var at = details.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ItemRun>(details.AsSpan(at + Marker.Length));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Why a run counts as failed, or null when it succeeded.</summary>
    public static string? Reason(ChildResult result, string? captureError, TimeSpan? timeout) =>
        result.TimedOut ? $"timed out after {timeout?.TotalSeconds:0.###} s; its process group was killed"
        : result.Signal is { } s ? $"killed by signal {s} ({(s == 9 ? "SIGKILL" : s == 15 ? "SIGTERM" : s == 11 ? "SIGSEGV" : s == 6 ? "SIGABRT" : "signal")})"
        : result.ExitCode != 0 ? $"exit code {result.ExitCode}"
        : captureError;
}
