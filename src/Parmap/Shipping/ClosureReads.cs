using System.Reflection;

namespace Parmap.Shipping;

/// <summary>
/// The closure fields that the delegates of one payload can touch. A captured delegate often shares its closure object with
/// the function that captures it (sibling lambdas of one scope), so a closure ships the fields that any of them reads.
/// </summary>
internal sealed class ClosureReads
{
    private readonly HashSet<MethodInfo> _methods = [];
    private readonly HashSet<(Type, string)> _fields = [];
    private bool _all;

    /// <summary>Adds the fields <paramref name="method"/> reads; true when that adds fields not already counted.</summary>
    public bool Add(MethodInfo method)
    {
        if (!_methods.Add(method))
        {
            return false;
        }
        var reads = CodeAnalysis.Reads(method);
        if (reads is null)
        {
            var grew = !_all;
            _all = true;
            return grew;
        }
        var before = _fields.Count;
        _fields.UnionWith(reads);
        return _fields.Count > before;
    }

    /// <summary>True when some delegate may read <paramref name="field"/> of a closure.</summary>
    public bool Contains(FieldInfo field)
    {
        if (_all)
        {
            return true;
        }
        var owner = field.DeclaringType!;
        return _fields.Contains((owner.IsGenericType ? owner.GetGenericTypeDefinition() : owner, field.Name));
    }
}
