namespace Parmap;

/// <summary>One item's result: its value or its error.</summary>
/// <typeparam name="T">The result type.</typeparam>
/// <param name="Index">Position of the item in the input sequence.</param>
/// <param name="Value">The value, when <see cref="Succeeded"/>.</param>
/// <param name="Error">The failure, when not <see cref="Succeeded"/>.</param>
public readonly record struct Outcome<T>(long Index, T Value, ItemFailedException? Error)
{
    /// <summary>True when the item produced a value.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The value, or the item's failure thrown.</summary>
    public T GetValueOrThrow() => Error is null ? Value : throw Error;
}
