namespace Parmap;

/// <summary>
/// A run that handles interrupts (<see cref="ParOptions.HandleInterrupts"/>; journaled runs by default) was stopped by
/// Ctrl-C (SIGINT) or SIGTERM after its running items finished. With a journal, everything that finished is saved and the
/// message says how to resume (the same map with the same journal recomputes nothing that was saved).
/// </summary>
public sealed class RunInterruptedException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="journalPath">The journal holding what was saved, or <see langword="null"/> for a run without one.</param>
    /// <param name="signal">"SIGINT" or "SIGTERM".</param>
    /// <param name="saved">Items whose value or failure is saved in the journal (0 without one).</param>
    /// <param name="total">Number of inputs, when known.</param>
    /// <param name="resumeCommand">The command line of this process.</param>
    /// <param name="message">What happened and what to do.</param>
    public RunInterruptedException(string? journalPath, string signal, long saved, long? total, string resumeCommand, string message)
        : base(message)
    {
        JournalPath = journalPath;
        Signal = signal;
        Saved = saved;
        Total = total;
        ResumeCommand = resumeCommand;
    }

    /// <summary>Full path of the journal that holds what was saved, or <see langword="null"/> for a run without a journal.</summary>
    public string? JournalPath { get; }

    /// <summary>The signal that stopped the run: "SIGINT" or "SIGTERM".</summary>
    public string Signal { get; }

    /// <summary>Items whose value or failure is saved in the journal.</summary>
    public long Saved { get; }

    /// <summary>Number of inputs, when known.</summary>
    public long? Total { get; }

    /// <summary>The command line of this process: with a journal, running it again resumes the run.</summary>
    public string ResumeCommand { get; }
}
