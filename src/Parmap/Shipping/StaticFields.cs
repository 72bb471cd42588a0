using System.Reflection;
using System.Text.RegularExpressions;

namespace Parmap.Shipping;

/// <summary>
/// Refuses, before any worker starts, a function whose code reads a mutable static field of the program that neither it
/// nor the worker initializer writes: the owner set that field (in <c>Main</c>, from arguments), and every worker process
/// has its own copy that never saw the value, so the function would silently compute with another one.
/// </summary>
internal static partial class StaticFields
{
    /// <exception cref="UnshippableFunctionException">The function reads such a field (the first one, by name).</exception>
    public static void Check(Delegate function, Delegate? initializer)
    {
        var (reads, writes) = CodeAnalysis.MutableStatics(function.Method);
        if (reads.Length == 0)
        {
            return;
        }
        var setInWorker = new HashSet<FieldInfo>(writes);
        if (initializer is not null)
        {
            setInWorker.UnionWith(CodeAnalysis.MutableStatics(initializer.Method).Writes);
        }
        if (reads.FirstOrDefault(f => !setInWorker.Contains(f)) is { } field)
        {
            var (name, local) = Names(field);
            throw UnshippableFunctionException.StaticField(name, field.FieldType, local);
        }
    }

    /// <summary>The field as written in code (<c>Program.Beta</c>; an auto-property by its property name), and a name for a local copy of it (<c>beta</c>).</summary>
    private static (string Name, string Local) Names(FieldInfo field)
    {
        var member = BackingField().Match(field.Name) is { Success: true } property ? property.Groups[1].Value : field.Name;
        var owner = TypeNames.Display(field.DeclaringType!);
        var local = member.TrimStart('_');
        local = local.StartsWith("s_", StringComparison.Ordinal) ? local[2..] : local;
        local = local.Length == 0 ? "value" : char.ToLowerInvariant(local[0]) + local[1..];
        return ($"{owner}.{member}", local);
    }

    [GeneratedRegex(@"^<(.+)>k__BackingField$")]
    private static partial Regex BackingField();
}
