namespace Parmap;

/// <summary>
/// The journal was written for other inputs or another function. Nothing ran and the journal is unchanged (for a streamed
/// input, a lazy sequence, an input that differs is found when the run reaches it: the run stops there, what finished
/// before is recorded and no recorded item changes); the message
/// says what changed, how many recorded items still match, and how to proceed (<see cref="ParOptions.JournalMismatch"/>).
/// </summary>
public sealed class JournalMismatchException : JournalException
{
    /// <summary>Creates the exception.</summary>
    public JournalMismatchException(string path, string message, bool functionChanged, long recorded, long matching)
        : base(path, message)
    {
        FunctionChanged = functionChanged;
        Recorded = recorded;
        Matching = matching;
    }

    /// <summary>True when the function (its code, or a value it captured) differs from the one that wrote the journal.</summary>
    public bool FunctionChanged { get; }

    /// <summary>Items recorded in the journal (values and failures).</summary>
    public long Recorded { get; }

    /// <summary>Recorded items whose input is still among the inputs (and whose function is unchanged): what <see cref="JournalMismatch.ReuseMatching"/> would reuse.</summary>
    public long Matching { get; }
}
