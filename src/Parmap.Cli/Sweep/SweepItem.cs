namespace Parmap.Cli.Sweep;

/// <summary>One item of a sweep, as the journal records it: its number (from 1, <c>{#}</c>) and its input values.</summary>
/// <param name="Number">The item number, from 1.</param>
/// <param name="Values">The input values, in the order of the run's input names.</param>
internal sealed record SweepItem(long Number, string[] Values);
