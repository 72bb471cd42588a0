namespace Parmap;

/// <summary>Every item's outcome, in input order, and the run's report.</summary>
/// <typeparam name="T">The result type.</typeparam>
public sealed class MapResult<T>
{
    internal MapResult(Outcome<T>[] outcomes, IReadOnlyList<ItemFailedException> failures, RunReport report)
    {
        Outcomes = outcomes;
        Failures = failures;
        Report = report;
    }

    /// <summary>One outcome per input, in input order.</summary>
    public IReadOnlyList<Outcome<T>> Outcomes { get; }

    /// <summary>The failed items, in input order.</summary>
    public IReadOnlyList<ItemFailedException> Failures { get; }

    /// <summary>What the run cost and the speedup it achieved.</summary>
    public RunReport Report { get; }

    /// <summary>True when every item succeeded.</summary>
    public bool AllSucceeded => Failures.Count == 0;

    /// <summary>All values in input order; throws <see cref="ItemsFailedException"/> when any item failed.</summary>
    public T[] Values()
    {
        if (!AllSucceeded)
        {
            throw new ItemsFailedException(Failures, Outcomes.Count);
        }
        var values = new T[Outcomes.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Outcomes[i].Value;
        }
        return values;
    }
}
