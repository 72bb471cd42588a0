namespace Parmap.Cli.Sweep;

/// <summary>What one item's program run gave, as the journal records it and the results file shows it.</summary>
/// <param name="Names">The run's input names.</param>
/// <param name="Values">The item's input values (a journal alone then gives the whole results table).</param>
/// <param name="ExitCode">The exit code (128 + signal when a signal ended the program).</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="TimedOut">Whether --timeout killed it.</param>
/// <param name="Stdout">Standard output as text (UTF-8).</param>
/// <param name="Stderr">Standard error as text (UTF-8).</param>
/// <param name="Fields">The captured fields: "value" for --capture number, the object's fields for json, "stdout" for text.</param>
/// <param name="Finished">When the program ended, by the clock of the machine that ran it (tells a cluster run's fresh items from a journal's).</param>
internal sealed record ItemRun(string[] Names, string[] Values, int ExitCode, double Seconds, bool TimedOut, string Stdout, string Stderr, Dictionary<string, string> Fields, DateTimeOffset Finished)
{
    /// <summary>The last <paramref name="lines"/> lines of standard error.</summary>
    public string StderrTail(int lines)
    {
        var all = Stderr.TrimEnd('\n').Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
