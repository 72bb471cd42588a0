using System.Globalization;

using Parmap.Journaling;

namespace Parmap;

/// <summary>One run that wrote a journal.</summary>
/// <param name="ProcessId">Id of the process that ran it.</param>
/// <param name="Host">Machine it ran on.</param>
/// <param name="Command">Command line of that process.</param>
/// <param name="Started">When it started.</param>
/// <param name="Ended">When it ended, or <see langword="null"/> when it is still running or was killed.</param>
/// <param name="Outcome">How it ended: "finished", "interrupted by SIGINT", "stopped: ...", "running", or "killed or crashed (ended without closing the journal)".</param>
/// <param name="Computed">Items it finished (committed).</param>
/// <param name="Failed">Items that failed in it (committed).</param>
/// <param name="Resumed">Items it found already recorded.</param>
public sealed record JournalRun(int ProcessId, string Host, string Command, DateTimeOffset Started, DateTimeOffset? Ended, string Outcome, long Computed, long Failed, long Resumed)
{
    internal static JournalRun From(RunRow row, bool running) => new(row.Pid, row.Host, row.Command, Parse(row.Started), row.Ended is { } e ? Parse(e) : null,
        row.Outcome ?? (running ? "running" : "killed or crashed (ended without closing the journal)"), row.Computed, row.Failed, row.Resumed);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Started:u} - {(Ended is { } e ? e.ToString("u", CultureInfo.InvariantCulture) : "?")}, process {ProcessId} on {Host}: {Outcome}; {Computed:N0} computed, {Failed:N0} failed, {Resumed:N0} resumed");

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

/// <summary>A failed item recorded in a journal.</summary>
/// <param name="Index">Position of the item in the input.</param>
/// <param name="Input">The input, as JSON.</param>
/// <param name="ErrorType">Full name of the exception's type.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="Details">The exception as text, with its stack trace.</param>
/// <param name="Attempts">How many times the item was tried.</param>
public sealed record JournalFailure(long Index, string Input, string ErrorType, string Message, string Details, int Attempts);

/// <summary>A finished item recorded in a journal.</summary>
/// <param name="Index">Position of the item in the input.</param>
/// <param name="Input">The input, as JSON.</param>
/// <param name="Value">The result, as JSON.</param>
public sealed record JournalItem(long Index, string Input, string Value);
