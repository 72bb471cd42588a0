// TEMPORARY: replaced by the ship branch at merge
using System.Reflection;
using System.Runtime.CompilerServices;

using MessagePack;

namespace Parmap.Shipping;

/// <summary>
/// Minimal stand-in for the real packer: static method groups and non-capturing lambdas (the compiler's cached
/// <c>&lt;&gt;c.&lt;&gt;9</c> singleton) only, non-generic. Capturing lambdas are refused.
/// </summary>
internal static class FunctionPacker
{
    public static byte[] Pack(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.GetInvocationList().Length != 1)
        {
            throw new UnshippableFunctionException("A multicast delegate cannot be shipped to a worker process.");
        }
        var method = function.Method;
        if (method.IsGenericMethod || method.DeclaringType is not { } declaring || declaring.ContainsGenericParameters || declaring.IsGenericType)
        {
            throw new UnshippableFunctionException($"'{method.Name}' is generic; this build can only ship non-generic static methods and non-capturing lambdas.");
        }
        int kind;
        if (method.IsStatic && function.Target is null)
        {
            kind = 0;
        }
        else if (function.Target is { } target && IsCachedLambdaHolder(target))
        {
            kind = 1;
        }
        else
        {
            throw new UnshippableFunctionException(
                $"The function '{method.Name}' captures variables or an instance ({function.Target?.GetType().Name}); this build can only ship static methods and non-capturing lambdas.");
        }
        var module = method.Module;
        string[] parts =
        [
            kind.ToString(System.Globalization.CultureInfo.InvariantCulture),
            module.Assembly.FullName ?? "",
            module.Assembly.Location,
            module.ModuleVersionId.ToString(),
            method.MetadataToken.ToString(System.Globalization.CultureInfo.InvariantCulture),
            function.GetType().AssemblyQualifiedName ?? "",
        ];
        return MessagePackSerializer.Serialize(parts);
    }

    public static Delegate Unpack(ReadOnlySpan<byte> payload)
    {
        var parts = MessagePackSerializer.Deserialize<string[]>(payload.ToArray());
        var kind = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(parts[1]));
        }
        catch (FileNotFoundException)
        {
            assembly = Assembly.LoadFrom(parts[2]);
        }
        var module = assembly.ManifestModule;
        if (module.ModuleVersionId.ToString() != parts[3])
        {
            throw new InvalidOperationException($"Assembly {parts[1]} in the worker is a different build than in the owner.");
        }
        var method = (MethodInfo)(module.ResolveMethod(int.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture))
            ?? throw new InvalidOperationException("Method not found."));
        var delegateType = Type.GetType(parts[5], throwOnError: true)!;
        if (kind == 0)
        {
            return Delegate.CreateDelegate(delegateType, method);
        }
        var holder = method.DeclaringType!.GetField("<>9", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null);
        return Delegate.CreateDelegate(delegateType, holder, method);
    }

    private static bool IsCachedLambdaHolder(object target)
    {
        var type = target.GetType();
        if (type.Name != "<>c" || type.GetCustomAttribute<CompilerGeneratedAttribute>() is null)
        {
            return false;
        }
        var singleton = type.GetField("<>9", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        return singleton is not null && ReferenceEquals(singleton.GetValue(null), target);
    }
}