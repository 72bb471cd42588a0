namespace Parmap;

/// <summary>What a journaled run does when its journal was written for other inputs or another function.</summary>
public enum JournalMismatch
{
    /// <summary>Throw <see cref="JournalMismatchException"/>, which says what changed and how many recorded items still match. Nothing runs and the journal is left as it is.</summary>
    Fail,

    /// <summary>Reuse the recorded results whose input and function are unchanged (wherever the input now stands) and compute the rest. The journal keeps the older results too.</summary>
    ReuseMatching,

    /// <summary>
    /// Like <see cref="ReuseMatching"/>, but also reuse results recorded by a different function: use it when you know the
    /// change does not alter results (a log line, a refactoring).
    /// </summary>
    ReuseMatchingInputs,
}
