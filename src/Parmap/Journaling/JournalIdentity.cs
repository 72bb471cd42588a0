namespace Parmap.Journaling;

/// <summary>The identity of the function a journal records: stable across runs and rebuilds of unchanged code, different when the code, a captured value or a setting it reads (a static readonly field of a simple type) changes.</summary>
internal static class JournalIdentity
{
    /// <summary>
    /// The function's identity as text. The one place that decides it: to be redirected to the function shipping's
    /// identity (<c>FunctionPacker.Identity</c>) once both live on one branch.
    /// </summary>
    public static string Of(Delegate function) => Shipping.FunctionPacker.Identity(function);

    /// <summary>A readable name for messages: declaring type and method.</summary>
    public static string NameOf(Delegate function)
    {
        var method = function.Method;
        return method.DeclaringType is { } type ? $"{type.FullName}.{method.Name}" : method.Name;
    }
}
