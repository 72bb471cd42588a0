namespace Parmap;

/// <summary>One input item failed: carries its index, its input and the original exception as <see cref="Exception.InnerException"/>.</summary>
public sealed class ItemFailedException : ParmapException
{
    /// <summary>Creates the exception for item <paramref name="index"/>.</summary>
    public ItemFailedException(long index, object? item, int attempts, Exception innerException)
        : base(Describe(index, item, attempts, innerException), innerException)
    {
        Index = index;
        Item = item;
        Attempts = attempts;
    }

    /// <summary>Position of the failing item in the input sequence (0-based).</summary>
    public long Index { get; }

    /// <summary>The failing input.</summary>
    public object? Item { get; }

    /// <summary>How many times the item was tried (1 + retries used).</summary>
    public int Attempts { get; }

    internal static string Describe(long index, object? item, int attempts, Exception inner)
    {
        var tries = attempts == 1 ? "" : $" after {attempts} attempts";
        return $"Item {index} (input: {Quote(item)}) failed{tries}: {inner.GetType().Name}: {inner.Message}";
    }

    internal static string Quote(object? item)
    {
        string text;
        try
        {
            text = item switch
            {
                null => "null",
                string s => $"\"{s}\"",
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => item.ToString() ?? item.GetType().Name,
            };
        }
        catch (Exception e)
        {
            text = $"<{item!.GetType().Name}: ToString threw {e.GetType().Name}>";
        }
        return text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "...");
    }
}
