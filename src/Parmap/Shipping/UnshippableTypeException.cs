namespace Parmap;

/// <summary>
/// The input or result type of a map cannot travel between processes (for example a <see cref="Stream"/>, a delegate,
/// an interface MessagePack cannot rebuild). Thrown before any worker process starts.
/// </summary>
public sealed class UnshippableTypeException : UnshippableException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="type">The input or result type that was refused.</param>
    /// <param name="offendingType">The type inside it that cannot travel (the same type, or a member's, element's or type argument's).</param>
    /// <param name="message">What is wrong and what to do instead.</param>
    /// <param name="innerException">MessagePack's error, when it refused the type.</param>
    public UnshippableTypeException(Type type, Type offendingType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Type = type;
        OffendingType = offendingType;
    }

    /// <summary>The input or result type that was refused.</summary>
    public Type Type { get; }

    /// <summary>The type inside <see cref="Type"/> that cannot travel (may be <see cref="Type"/> itself).</summary>
    public Type OffendingType { get; }
}
