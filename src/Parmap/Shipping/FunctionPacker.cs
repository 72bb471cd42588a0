using System.Security.Cryptography;

using MessagePack;

namespace Parmap.Shipping;

/// <summary>
/// Sends a delegate (a lambda with its captured variables, a method group, a local function) to another process of the same
/// app build, and gives it a stable identity.
/// </summary>
/// <remarks>
/// A delegate travels as its method (assembly, module version, metadata token, generic arguments) plus copies of the captured
/// values its code can reach; the worker resolves the method in its own copy of the assembly and rebuilds the closure objects.
/// Values are copied, not shared: writes to captured variables in a worker are not seen by the owner, and static fields are
/// the worker's own.
/// </remarks>
internal static class FunctionPacker
{
    /// <summary>
    /// Serializes <paramref name="function"/>. Deterministic: the same delegate with the same captured values gives the same bytes.
    /// </summary>
    /// <exception cref="UnshippableFunctionException">Something the function captures cannot cross a process boundary.</exception>
    public static byte[] Pack(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return PayloadWriter.Write(function, PayloadMode.Shipping);
    }

    /// <summary>Rebuilds, in a worker process of the same app build, the delegate that <see cref="Pack"/> serialized.</summary>
    /// <exception cref="ParmapException">The payload is corrupt or comes from another build of the app or of Parmap.</exception>
    public static Delegate Unpack(ReadOnlySpan<byte> payload)
    {
        try
        {
            return PayloadReader.Read(payload.ToArray());
        }
        catch (Exception e) when (e is InvalidDataException or MessagePackSerializationException or EndOfStreamException
            or InvalidOperationException or ArgumentException or MissingMemberException or TypeLoadException or OverflowException
            or InsufficientExecutionStackException)
        {
            throw new ParmapException(
                $"The worker could not rebuild the function: {e.Message} The payload is corrupt, or the worker runs a different build "
                + "of the app than its owner; rebuild and restart so both run the same files.", e);
        }
    }

    /// <summary>
    /// A stable identity of <paramref name="function"/>: the same across runs and rebuilds of unchanged code, different when the
    /// code (the lambda and what it calls in its assembly) or a captured value changes. Never throws for values that cannot be
    /// shipped: they count by type only. Code compiled at run time (Expression.Compile) cannot be fingerprinted, so a function
    /// containing it gets a new identity in every run.
    /// </summary>
    public static string Identity(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Convert.ToHexStringLower(SHA256.HashData(PayloadWriter.Write(function, PayloadMode.Identity)));
    }
}
