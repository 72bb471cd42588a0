namespace Parmap;

/// <summary>A run under <see cref="ErrorPolicy.Collect"/> finished and some items failed. Every failure is listed.</summary>
public sealed class ItemsFailedException : ParmapException
{
    /// <summary>Creates the exception from the failures, sorted by index.</summary>
    public ItemsFailedException(IReadOnlyList<ItemFailedException> failures, long total)
        : base(Describe(failures, total), failures.Count > 0 ? failures[0] : null)
    {
        Failures = failures;
    }

    /// <summary>Every failed item, in input order.</summary>
    public IReadOnlyList<ItemFailedException> Failures { get; }

    private static string Describe(IReadOnlyList<ItemFailedException> failures, long total)
    {
        var first = failures.Count > 0 ? $" First: {failures[0].Message}" : "";
        return $"{failures.Count} of {total} items failed.{first} Use Par.MapOutcomes to get every item's value or error.";
    }
}
