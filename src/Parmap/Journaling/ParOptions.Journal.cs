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
    /// quarter of a second or still running; a committed item is never lost. Inspect a journal with <see cref="Journal.Open"/>.
    /// <para>
    /// A list of inputs is matched against the journal before anything runs. Any other sequence is streamed: read as the
    /// run takes it (a journaled <c>Par.Stream</c> over an endless input keeps memory bounded by
    /// <see cref="MaxInFlight"/>), and on resume read again from its start, each recorded item skipped when the run
    /// reaches its position with the recorded input there; another input at a recorded position stops the run with
    /// <see cref="JournalMismatchException"/>.
    /// </para>
    /// </remarks>
    public string? Journal { get; init; }

    /// <summary>What to do when the journal was written for other inputs or another function. The default is <see cref="Parmap.JournalMismatch.Fail"/>.</summary>
    public JournalMismatch JournalMismatch { get; init; } = JournalMismatch.Fail;

    /// <summary>Whether items whose failure is recorded in the journal run again when the map resumes. The default is <see langword="false"/>: their recorded failure is reported again.</summary>
    public bool RetryFailedOnResume { get; init; }

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
    }
}
