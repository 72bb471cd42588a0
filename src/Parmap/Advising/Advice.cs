namespace Parmap;

/// <summary>Whether a map is worth parallelizing, measured on a sample of its inputs (see <c>Par.Advise</c>).</summary>
public sealed record Advice
{
    /// <summary>Inputs the function was timed on.</summary>
    public required int SampledItems { get; init; }

    /// <summary>Mean time of one item, run serially.</summary>
    public required TimeSpan PerItem { get; init; }

    /// <summary>Slowest sampled item.</summary>
    public required TimeSpan SlowestItem { get; init; }

    /// <summary>Number of inputs, when known.</summary>
    public required long? Items { get; init; }

    /// <summary>Predicted time of a serial run over all inputs, when their number is known.</summary>
    public required TimeSpan? SerialEstimate { get; init; }

    /// <summary>Workers the prediction is for.</summary>
    public required int Workers { get; init; }

    /// <summary>Predicted wall time with Parmap on <see cref="Workers"/> workers of the options' executor (start-up included), when the number of inputs is known.</summary>
    public required TimeSpan? ParallelEstimate { get; init; }

    /// <summary>Predicted speedup over the serial run (for an input of unknown length: per item, in the steady state).</summary>
    public required double PredictedSpeedup { get; init; }

    /// <summary>True when parallelizing is predicted to save a noticeable amount of time.</summary>
    public required bool WorthIt { get; init; }

    /// <summary>Why, in one sentence.</summary>
    public required string Reason { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Reason;
}
