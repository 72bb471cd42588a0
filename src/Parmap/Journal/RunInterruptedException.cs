namespace Parmap;

/// <summary>
/// A journaled run was stopped by Ctrl-C (SIGINT) or SIGTERM. Everything that finished is saved in the journal; the
/// message says how to resume (the same map with the same journal recomputes nothing that was saved).
/// </summary>
public sealed class RunInterruptedException : JournalException
{
    /// <summary>Creates the exception.</summary>
    public RunInterruptedException(string path, string signal, long saved, long total, string resumeCommand, string message)
        : base(path, message)
    {
        Signal = signal;
        Saved = saved;
        Total = total;
        ResumeCommand = resumeCommand;
    }

    /// <summary>The signal that stopped the run: "SIGINT" or "SIGTERM".</summary>
    public string Signal { get; }

    /// <summary>Items whose value or failure is saved in the journal.</summary>
    public long Saved { get; }

    /// <summary>Number of inputs.</summary>
    public long Total { get; }

    /// <summary>The command line of this process: running it again resumes the run.</summary>
    public string ResumeCommand { get; }
}
