namespace Parmap;

// The journal's options: a file that records every finished item so that a stopped run resumes where it stopped.
public sealed partial record ParOptions
{
    /// <summary>
    /// Path of the journal: an SQLite file that records every finished item (its value, or its failure) so that a run
    /// that was stopped (Ctrl-C, kill, reboot, full disk) resumes where it stopped: the same map with the same journal
    /// skips the recorded items and returns the complete result. The default is <see langword="null"/>: no journal.
    /// </summary>
    /// <remarks>
    /// The file is created when missing. Inputs and results are stored with MessagePack (public types with public
    /// properties, records and tuples work as they are). A crash loses at most the items finished in the last
    /// quarter of a second or still running; a committed item is never lost. Inspect a journal with <see cref="Parmap.Journal.Open"/>.
    /// </remarks>
    public string? Journal { get; init; }

    /// <summary>What to do when the journal was written for other inputs or another function. The default is <see cref="Parmap.JournalMismatch.Fail"/>.</summary>
    public JournalMismatch JournalMismatch { get; init; } = JournalMismatch.Fail;

    /// <summary>Whether items whose failure is recorded in the journal run again when the map resumes. The default is <see langword="false"/>: their recorded failure is reported again.</summary>
    public bool RetryFailedOnResume { get; init; }

    /// <summary>
    /// Whether a journaled run handles Ctrl-C (SIGINT) and SIGTERM: the first one stops taking new items, lets the running
    /// ones finish (up to <see cref="InterruptGracePeriod"/>), saves everything and throws <see cref="RunInterruptedException"/>
    /// that says how to resume; a second one ends the process at once. The default is <see langword="true"/>. Runs without a journal never handle signals.
    /// </summary>
    public bool HandleInterrupts { get; init; } = true;

    /// <summary>After a first Ctrl-C or SIGTERM, how long running items may take to finish before the run's cancellation token is cancelled. The default is 10 seconds.</summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    private void ValidateJournal()
    {
        if (Journal is { } path && string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("Journal must be a file path, or null for no journal.", nameof(Journal));
        }
        if (!Enum.IsDefined(JournalMismatch))
        {
            throw new ArgumentOutOfRangeException(nameof(JournalMismatch), JournalMismatch, "Unknown journal mismatch policy.");
        }
        if (InterruptGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InterruptGracePeriod), InterruptGracePeriod, "InterruptGracePeriod must not be negative.");
        }
    }
}
