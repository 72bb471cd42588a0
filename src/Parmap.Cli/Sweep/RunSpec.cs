namespace Parmap.Cli.Sweep;

/// <summary>
/// What every item of a run does, as plain values: the run's function captures this record, so the journal's identity
/// of the function changes when the command, the inputs' names, --env, --shell, --capture or --timeout change (a
/// journal written for another command is refused instead of mixing results).
/// </summary>
internal sealed record RunSpec(string[] Command, string[] Env, string[] Names, bool Shell, CaptureMode Capture, double? TimeoutSeconds, int StderrTailLines);
