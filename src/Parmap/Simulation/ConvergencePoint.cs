namespace Parmap;

/// <summary>The running estimate after the first <paramref name="Trials"/> trials (recorded at every block boundary).</summary>
/// <param name="Trials">Trials merged so far.</param>
/// <param name="Mean">The running mean.</param>
/// <param name="Lower">Lower end of the running confidence interval.</param>
/// <param name="Upper">Upper end of the running confidence interval.</param>
public readonly record struct ConvergencePoint(long Trials, double Mean, double Lower, double Upper);
