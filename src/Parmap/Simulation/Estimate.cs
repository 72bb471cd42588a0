using System.Globalization;

namespace Parmap;

/// <summary>
/// A Monte Carlo estimate: the mean of the trial values with its variance, standard error and confidence interval, the
/// number of trials, and (on request) a histogram and the running estimate per block.
/// Prints as <c>3.14161 ± 0.00003 (95% CI), 100000 trials</c>.
/// </summary>
/// <remarks>The confidence interval is the normal one, mean ± z * standard error, with z the normal quantile of the level
/// (Monte Carlo runs have many trials; for a handful of trials it is too narrow).</remarks>
public sealed class Estimate
{
    internal Estimate(string? name, Moments moments, int statistic, double level, long seed, bool stoppedEarly, IReadOnlyList<ConvergencePoint> convergence, HistogramOptions? histogram)
    {
        Name = name;
        Count = moments.Count;
        Mean = moments.Mean[statistic];
        Sum = moments.Sum[statistic];
        Variance = Count > 1 ? moments.M2[statistic] / (Count - 1) : double.NaN;
        ConfidenceLevel = level;
        Seed = seed;
        StoppedEarly = stoppedEarly;
        Convergence = convergence;
        Histogram = histogram is null ? null : new Histogram(histogram, moments.Slots![statistic]);
        NonFinite = moments.NonFinite.Length > 0 ? moments.NonFinite[statistic] : 0;
        FirstNonFiniteTrial = NonFinite > 0 ? moments.FirstNonFinite[statistic] : null;
    }

    /// <summary>
    /// Trials whose value was NaN or infinite. They are counted in <see cref="Mean"/> and <see cref="Variance"/>, which are
    /// then NaN or infinite too: the trial function has a case it does not handle (see <see cref="FirstNonFiniteTrial"/>).
    /// </summary>
    public long NonFinite { get; }

    /// <summary>
    /// The first trial (its index) whose value was NaN or infinite, or <see langword="null"/> when none was. Rerun it alone
    /// with <c>new Rng(Seed, trial)</c>: it draws the same numbers.
    /// </summary>
    public long? FirstNonFiniteTrial { get; }

    /// <summary>The statistic's name (vector-valued trials with <see cref="MonteCarloOptions.Names"/>), or <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary>Number of trials.</summary>
    public long Count { get; }

    /// <summary>The mean of the trial values: the estimate.</summary>
    public double Mean { get; }

    /// <summary>The sum of the trial values (summed in trial order within blocks, blocks in order).</summary>
    public double Sum { get; }

    /// <summary>The sample variance of the trial values (divided by count - 1); NaN for a single trial.</summary>
    public double Variance { get; }

    /// <summary>The sample standard deviation of the trial values.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>The standard error of the mean: standard deviation / sqrt(count).</summary>
    public double StandardError => Math.Sqrt(Variance / Count);

    /// <summary>The confidence level of <see cref="Lower"/> .. <see cref="Upper"/>, e.g. 0.95.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Half the width of the confidence interval: z * standard error.</summary>
    public double HalfWidth => Z(ConfidenceLevel) * StandardError;

    /// <summary>Lower end of the confidence interval.</summary>
    public double Lower => Mean - HalfWidth;

    /// <summary>Upper end of the confidence interval.</summary>
    public double Upper => Mean + HalfWidth;

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>True when the run stopped before its trial budget because the target error was reached.</summary>
    public bool StoppedEarly { get; }

    /// <summary>The histogram of the trial values, when <see cref="MonteCarloOptions.Histogram"/> asked for one.</summary>
    public Histogram? Histogram { get; }

    /// <summary>The running estimate after each block of trials, in trial order (for convergence plots).</summary>
    public IReadOnlyList<ConvergencePoint> Convergence { get; }

    /// <summary>The estimate as <c>3.14161 ± 0.00003 (95% CI), 100000 trials</c>: the mean rounded to the first significant digit of the half-width.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var half = HalfWidth;
        string mean, plusMinus;
        if (double.IsFinite(half) && half > 0)
        {
            var decimals = (int)Math.Clamp(-Math.Floor(Math.Log10(half)), 0, 15);
            mean = Mean.ToString("F" + decimals, inv);
            plusMinus = half.ToString("F" + decimals, inv);
        }
        else
        {
            mean = Mean.ToString("R", inv);
            plusMinus = half.ToString("R", inv);
        }
        var name = Name is null ? "" : Name + " = ";
        var stopped = StoppedEarly ? " (stopped at the target error)" : "";
        var nonFinite = FirstNonFiniteTrial is { } first
            ? string.Create(inv, $"; {NonFinite} trials returned NaN or infinity, the first trial {first} (rerun it with new Rng({Seed}, {first}))")
            : "";
        return string.Create(inv, $"{name}{mean} ± {plusMinus} ({ConfidenceLevel * 100:0.##}% CI), {Count} trials{stopped}{nonFinite}");
    }

    internal static double Z(double level) => Statistics.NormalQuantile(0.5 + (level / 2));
}
