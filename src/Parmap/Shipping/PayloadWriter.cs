using System.Buffers;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

using MessagePack;

namespace Parmap.Shipping;

/// <summary>
/// Writes a delegate as MessagePack: its method (assembly, module version, metadata token, generic arguments) and the part of
/// its target object graph the method can reach. Refuses, naming the variable, whatever cannot cross a process boundary.
/// </summary>
/// <remarks>
/// Payload layout (every node is a MessagePack array):
/// <code>
/// payload  = [version, delegate]
/// delegate = [delegateType, [single, ...]]                      several singles for a multicast delegate
/// single   = [method, 0, nil] | [method, 1, cacheType] | [method, 2, value]   static / cached lambda / target
/// method   = [assembly, mvid, token, [typeArgs], [methodArgs], description]
/// value    = nil | body | [type, body]                          the type travels when the declared type is not exact
/// body     = leaf | type | array | [comparer, items] | [{field: value}, ...] (one map per class level) | ext(1, id)
/// </code>
/// A closure object travels once and is referred to by its number (ext 1) afterwards: sibling lambdas share their closure,
/// and a lambda stored in a captured variable reaches its own closure again. Any other cycle is refused.
/// <code>
/// type     = [0, assembly, fullName] | [1, assembly, definitionFullName, [args]] | [2, rank (0 = vector), element]
/// </code>
/// In identity mode (<see cref="PayloadMode.Identity"/>) methods are written as names and code hashes instead of module
/// versions and tokens, compiler ordinals are removed from names, and refusals are written as markers instead of thrown.
/// Where the writer is in the captured values is a <see cref="VariablePath"/>, which names the variable in a refusal.
/// </remarks>
internal sealed partial class PayloadWriter
{
    public const int FormatVersion = 1;
    public const sbyte BackReference = 1;
    private const int MaxDepth = 1000;

    private readonly PayloadMode _mode;
    private readonly Dictionary<object, (VariablePath Path, int Length)> _onPath = new(ReferenceEqualityComparer.Instance);
    private VariablePath _path = new();
    private readonly Dictionary<object, int> _closures = new(ReferenceEqualityComparer.Instance);
    private readonly ClosureReads _reads;
    private bool _readsGrew;
    private int _depth;

    private PayloadWriter(PayloadMode mode, ClosureReads reads)
    {
        _mode = mode;
        _reads = reads;
    }

    /// <summary>The payload of <paramref name="function"/>; in identity mode, the bytes whose hash is its identity.</summary>
    public static byte[] Write(Delegate function, PayloadMode mode)
    {
        var reads = new ClosureReads();
        foreach (var single in function.GetInvocationList())
        {
            reads.Add(single.Method);
        }
        while (true)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            writer.WriteArrayHeader(2);
            writer.Write(FormatVersion);
            var pass = new PayloadWriter(mode, reads);
            pass.WriteDelegate(ref writer, function);
            writer.Flush();
            if (!pass._readsGrew)
            {
                return buffer.WrittenSpan.ToArray();
            }
            // A captured delegate reads fields of a closure written before it was found: write again with them.
        }
    }

    private void WriteDelegate(ref MessagePackWriter writer, Delegate function)
    {
        var singles = function.GetInvocationList();
        writer.WriteArrayHeader(2);
        WriteType(ref writer, function.GetType());
        writer.WriteArrayHeader(singles.Length);
        foreach (var single in singles)
        {
            WriteSingle(ref writer, single);
        }
    }

    private void WriteSingle(ref MessagePackWriter writer, Delegate function)
    {
        var method = function.Method;
        var target = function.Target;
        if (method is DynamicMethod || method.DeclaringType is null || method.Module.Assembly.IsDynamic
            || target?.GetType().Namespace?.StartsWith(typeof(Expression).Namespace!, StringComparison.Ordinal) == true
            || target?.GetType().FullName == "System.Runtime.CompilerServices.Closure")
        {
            _mode.WriteDynamic(ref writer, function, this);
            return;
        }
        writer.WriteArrayHeader(3);
        WriteMethod(ref writer, method);
        if (target is null && !ClosedOverNull(function))
        {
            writer.Write(0);
            writer.WriteNil();
            return;
        }
        if (target is null)
        {
            writer.Write(2);
            writer.WriteNil();
            return;
        }
        var targetType = target.GetType();
        if (TypeNames.IsCompilerGenerated(targetType)
            && targetType.GetField("<>9", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic) is { } cache
            && ReferenceEquals(cache.GetValue(null), target))
        {
            // A lambda that captures nothing lives on the compiler's singleton; the worker has its own.
            writer.Write(1);
            WriteType(ref writer, targetType);
            return;
        }
        writer.Write(2);
        _readsGrew |= _reads.Add(method);
        var named = !TypeNames.IsClosure(targetType);
        if (named)
        {
            // A method group on an object: its fields read as this.field.
            _path.Push("this");
        }
        WriteValue(ref writer, target, typeof(object));
        if (named)
        {
            _path.Pop();
        }
    }

    /// <summary>A static method whose first parameter is bound to null (Delegate.CreateDelegate(type, null, method)).</summary>
    private static bool ClosedOverNull(Delegate function)
    {
        return function.Method.IsStatic
            && function.Method.GetParameters().Length == function.GetType().GetMethod("Invoke")!.GetParameters().Length + 1;
    }

    /// <summary>Writes <paramref name="value"/> stored under the declared type <paramref name="declared"/>.</summary>
    private void WriteValue(ref MessagePackWriter writer, object? value, Type declared)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }
        var type = value.GetType();
        if (!ValueKinds.IsExact(declared))
        {
            writer.WriteArrayHeader(2);
            WriteType(ref writer, type);
        }
        var plan = ValueKinds.Plan(type);
        if (plan.Refusal is { } refusal)
        {
            Refuse(ref writer, type, refusal);
            return;
        }
        var kind = plan.Kind;
        if (kind == ValueKind.Leaf)
        {
            WriteLeaf(ref writer, value, type);
            return;
        }
        if (kind == ValueKind.Type)
        {
            WriteType(ref writer, (Type)value);
            return;
        }
        if (kind == ValueKind.Unsupported)
        {
            Refuse(ref writer, type, Refusals.Unsupported(type));
            return;
        }
        if (_depth >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Refuse(ref writer, type, Refusals.TooDeep(MaxDepth));
            return;
        }
        var closure = kind == ValueKind.Fields && plan.IsClosure;
        if (closure)
        {
            if (_closures.TryGetValue(value, out var id))
            {
                writer.WriteExtensionFormatHeader(new ExtensionHeader(BackReference, 4));
                writer.WriteRaw(BitConverter.GetBytes(id));
                return;
            }
            _closures.Add(value, _closures.Count);
        }
        var tracked = !type.IsValueType && !closure;
        if (tracked)
        {
            if (_onPath.TryGetValue(value, out var ancestor))
            {
                var recursive = value is Delegate;
                Refuse(ref writer, type, Refusals.Cycle(ancestor.Path.Format(ancestor.Length), recursive));
                return;
            }
            _onPath.Add(value, (_path, _path.Count));
        }
        _depth++;
        switch (kind)
        {
            case ValueKind.Delegate:
                WriteCapturedDelegate(ref writer, (Delegate)value);
                break;
            case ValueKind.Array:
                WriteArray(ref writer, (Array)value, type);
                break;
            case ValueKind.Collection:
                WriteCollection(ref writer, value, type);
                break;
            default:
                WriteFields(ref writer, value, type);
                break;
        }
        _depth--;
        if (tracked)
        {
            _onPath.Remove(value);
        }
    }

    /// <summary>A captured delegate travels as a function of its own; its captured variables are named from its own scope.</summary>
    private void WriteCapturedDelegate(ref MessagePackWriter writer, Delegate function)
    {
        var outerPath = _path;
        _path = new VariablePath();
        try
        {
            WriteDelegate(ref writer, function);
        }
        catch (UnshippableFunctionException e)
        {
            var name = outerPath.Format(outerPath.Count);
            throw e.VariableName.Length == 0
                ? new UnshippableFunctionException(name, e.VariableType, e.Reason, e.Advice, e.Via)
                : e.Through(name);
        }
        finally
        {
            _path = outerPath;
        }
    }

    private void WriteFields(ref MessagePackWriter writer, object value, Type type)
    {
        var levels = ValueKinds.Layout(type, out var frameworkBase);
        if (levels is null)
        {
            Refuse(ref writer, type, Refusals.FrameworkBase(frameworkBase!));
            return;
        }
        var closure = ValueKinds.Plan(type).IsClosure;
        writer.WriteArrayHeader(levels.Length);
        foreach (var level in levels)
        {
            var fields = closure ? level.Where(_reads.Contains).ToArray() : level;
            writer.WriteMapHeader(fields.Length);
            foreach (var field in fields)
            {
                writer.Write(field.Name);
                // The parent scope's closure is transparent: its variables are named as the user wrote them.
                var segment = closure && field.Name.StartsWith("CS$<>8__locals", StringComparison.Ordinal) ? null : TypeNames.Variable(field);
                if (segment is not null)
                {
                    _path.Push(segment);
                }
                if (field.FieldType.IsPointer || field.FieldType.IsFunctionPointer)
                {
                    Refuse(ref writer, field.FieldType, Refusals.For(field.FieldType)!.Value);
                }
                else
                {
                    WriteValue(ref writer, field.GetValue(value), field.FieldType);
                }
                if (segment is not null)
                {
                    _path.Pop();
                }
            }
        }
    }

    internal void Refuse(ref MessagePackWriter writer, Type type, Refusal refusal) => _mode.Refuse(ref writer, type, refusal, _path.Format(_path.Count));
}
