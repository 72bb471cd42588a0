namespace Parmap;

/// <summary>A Monte Carlo trial threw (after the retries of its block): carries the trial index and seed, with the trial's exception inside.</summary>
public sealed class TrialFailedException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="trial">The trial index.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="innerException">What the trial threw.</param>
    public TrialFailedException(long trial, long seed, Exception innerException)
        : base($"Monte Carlo trial {trial} (seed {seed}) failed: {innerException.GetType().Name}: {innerException.Message}. Re-run it alone with new Rng({seed}, {trial}).", innerException)
    {
        Trial = trial;
        Seed = seed;
    }

    /// <summary>The index of the failed trial.</summary>
    public long Trial { get; }

    /// <summary>The run's seed.</summary>
    public long Seed { get; }
}
