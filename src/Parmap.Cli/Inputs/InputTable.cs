namespace Parmap.Cli.Inputs;

/// <summary>The items of a sweep as text: one row of values per item, one column per input name.</summary>
/// <param name="Names">The input names, in the order the columns appear.</param>
/// <param name="Rows">One row per item, in item order.</param>
internal sealed record InputTable(string[] Names, IReadOnlyList<string[]> Rows)
{
    /// <summary>The product of <paramref name="factors"/> (the last varies fastest, as in <c>Grid.Of</c>), or their rows paired when <paramref name="zip"/> is set.</summary>
    /// <exception cref="UsageException">Names repeat, or zipped inputs differ in length.</exception>
    public static InputTable Combine(IReadOnlyList<InputTable> factors, bool zip)
    {
        if (factors.Count == 0)
        {
            return new InputTable([], [[]]);
        }
        var names = factors.SelectMany(f => f.Names).ToArray();
        var twice = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new UsageException($"the input name '{twice.Key}' is given twice; each --grid axis and CSV column needs its own name.");
        }
        if (zip)
        {
            var count = factors[0].Rows.Count;
            var other = factors.FirstOrDefault(f => f.Rows.Count != count);
            if (other is not null)
            {
                throw new UsageException($"--zip pairs inputs item by item, but {Describe(factors[0])} has {count} values and {Describe(other)} has {other.Rows.Count}. Give them the same length, or drop --zip for every combination.");
            }
            return new InputTable(names, [.. Enumerable.Range(0, count).Select(i => factors.SelectMany(f => f.Rows[i]).ToArray())]);
        }
        var total = factors.Aggregate(1L, (n, f) => n * f.Rows.Count);
        if (total > int.MaxValue)
        {
            throw new UsageException($"the inputs make {total:N0} items, more than the {int.MaxValue:N0} one run can hold. Split the sweep into several runs.");
        }
        IEnumerable<string[]> rows = [[]];
        foreach (var factor in factors)
        {
            var f = factor;
            rows = rows.SelectMany(r => f.Rows.Select(v => (string[])[.. r, .. v]));
        }
        return new InputTable(names, [.. rows]);
    }

    private static string Describe(InputTable t) => t.Names.Length == 1 ? $"'{t.Names[0]}'" : $"({string.Join(", ", t.Names)})";
}
