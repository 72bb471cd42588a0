using System.Collections;
using System.Globalization;
using System.IO.Hashing;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Text;

namespace Parmap.Journaling;

/// <summary>
/// A 128-bit fingerprint of what a delegate computes: the IL of its method with every metadata token replaced by the
/// name of what it refers to (so that rebuilding, or editing unrelated code, does not change it), followed into the
/// methods it calls in the same assembly (and into async/iterator state machines), plus the values it captured.
/// </summary>
/// <remarks>
/// Not covered, by design: changes inside other assemblies (libraries, the framework), static fields, and captured
/// objects of other assemblies' types beyond their type name. Compiler-generated names lose their ordinals
/// (<c>&lt;Main&gt;b__0_3</c>), so that adding a lambda elsewhere in the same method does not change the others.
/// </remarks>
internal sealed class DelegateFingerprint
{
    private const int MaxMethods = 512;
    private const int MaxValueNodes = 100_000;
    private const int MaxDepth = 8;
    private static readonly OpCode[] s_oneByte = new OpCode[256];
    private static readonly OpCode[] s_twoByte = new OpCode[256];

    private readonly XxHash128 _hash = new();
    private readonly HashSet<MethodBase> _methods = [];
    private readonly HashSet<object> _objects = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<MethodBase> _pending = new();
    private readonly HashSet<(Module Module, int Token)> _readFields = [];
    private readonly Assembly _home;
    private int _valueNodes;

    static DelegateFingerprint()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is OpCode op)
            {
                var value = (ushort)op.Value;
                if (value < 0x100)
                {
                    s_oneByte[value] = op;
                }
                else if ((value & 0xFF00) == 0xFE00)
                {
                    s_twoByte[value & 0xFF] = op;
                }
            }
        }
    }

    private DelegateFingerprint(Assembly home)
    {
        _home = home;
    }

    public static string Compute(Delegate function)
    {
        var fingerprint = new DelegateFingerprint(function.Method.Module.Assembly);
        fingerprint.AddDelegate(function, 0);
        return Convert.ToHexStringLower(fingerprint._hash.GetHashAndReset());
    }

    private void AddDelegate(Delegate function, int depth)
    {
        foreach (var d in function.GetInvocationList())
        {
            Add("delegate");
            AddMethod(d.Method);
            Drain();
            Add("target");
            AddValue(d.Target, depth + 1);
        }
    }

    private void Drain()
    {
        while (_pending.TryDequeue(out var method))
        {
            AddMethodBody(method);
        }
    }

    private void AddMethod(MethodBase method)
    {
        if (_methods.Count >= MaxMethods || !_methods.Add(method))
        {
            Add(Describe(method));
            return;
        }
        _pending.Enqueue(method);
    }

    private void AddMethodBody(MethodBase method)
    {
        Add(Describe(method));
        var body = method.GetMethodBody();
        var il = body?.GetILAsByteArray();
        if (body is null || il is null)
        {
            Add("(no body)");
            return;
        }
        foreach (var local in body.LocalVariables)
        {
            Add(Normalize(local.LocalType.FullName ?? local.LocalType.Name));
        }
        foreach (var clause in body.ExceptionHandlingClauses)
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"eh {clause.Flags} {clause.TryOffset} {clause.TryLength} {clause.HandlerOffset} {clause.HandlerLength}"));
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
            {
                Add(clause.CatchType?.FullName ?? "?");
            }
        }
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var module = method.Module;
        var pos = 0;
        while (pos < il.Length)
        {
            OpCode op;
            if (il[pos] == 0xFE && pos + 1 < il.Length)
            {
                op = s_twoByte[il[pos + 1]];
                pos += 2;
            }
            else
            {
                op = s_oneByte[il[pos]];
                pos += 1;
            }
            _hash.Append(BitConverter.GetBytes(op.Value));
            var size = OperandSize(op.OperandType, il, pos);
            if (size == 4 && IsToken(op.OperandType))
            {
                AddToken(module, BitConverter.ToInt32(il, pos), op.OperandType, typeArgs, methodArgs);
            }
            else if (pos + size <= il.Length)
            {
                _hash.Append(il.AsSpan(pos, size));
            }
            pos += size;
        }
    }

    private void AddToken(Module module, int token, OperandType kind, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            if (kind == OperandType.InlineString)
            {
                Add("\"" + module.ResolveString(token));
                return;
            }
            if (kind == OperandType.InlineSig)
            {
                Add("sig");
                return;
            }
            var member = module.ResolveMember(token, typeArgs, methodArgs);
            switch (member)
            {
                case MethodBase callee:
                    Add(Describe(callee));
                    if (callee.Module.Assembly == _home && !callee.IsAbstract)
                    {
                        AddMethod(callee is MethodInfo { IsGenericMethod: true } g && !g.IsGenericMethodDefinition ? g : callee);
                    }
                    foreach (var arg in callee.IsGenericMethod ? callee.GetGenericArguments() : [])
                    {
                        FollowStateMachine(arg);
                    }
                    break;
                case FieldInfo field:
                    _readFields.Add((field.Module, field.MetadataToken));
                    Add($"{Normalize(field.DeclaringType?.FullName)}::{Normalize(field.Name)}:{Normalize(field.FieldType.FullName)}");
                    FollowStateMachine(field.DeclaringType);
                    break;
                case Type type:
                    Add(Normalize(type.FullName ?? type.Name));
                    FollowStateMachine(type);
                    break;
                default:
                    Add(member?.ToString() ?? "?");
                    break;
            }
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMemberException)
        {
            _hash.Append(BitConverter.GetBytes(token));
        }
    }

    /// <summary>Async methods and iterators keep their body in a generated state machine: hash its methods too.</summary>
    private void FollowStateMachine(Type? type)
    {
        if (type is null || type.Assembly != _home || !type.IsDefined(typeof(CompilerGeneratedAttribute))
            || !(typeof(IAsyncStateMachine).IsAssignableFrom(type) || typeof(IEnumerator).IsAssignableFrom(type)))
        {
            return;
        }
        foreach (var m in type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        {
            AddMethod(m);
        }
    }

    private void AddValue(object? value, int depth)
    {
        if (value is null)
        {
            Add("null");
            return;
        }
        var type = value.GetType();
        Add(Normalize(type.FullName ?? type.Name));
        if (++_valueNodes > MaxValueNodes)
        {
            return;
        }
        switch (value)
        {
            case string s:
                Add(s);
                return;
            case Delegate d when depth < MaxDepth:
                AddDelegate(d, depth);
                Drain();
                return;
            case Type t:
                Add(t.AssemblyQualifiedName ?? t.Name);
                return;
            case Enum or decimal or DateTime or DateTimeOffset or TimeSpan or Guid or char or bool:
                Add(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                return;
        }
        if (type.IsPrimitive)
        {
            Add(((IFormattable)value).ToString(type == typeof(float) || type == typeof(double) ? "R" : null, CultureInfo.InvariantCulture));
            return;
        }
        if (depth >= MaxDepth || (!type.IsValueType && !_objects.Add(value)))
        {
            Add("...");
            return;
        }
        if (value is Array array)
        {
            var element = type.GetElementType()!;
            if (element.IsPrimitive)
            {
                var bytes = new byte[Buffer.ByteLength(array)];
                Buffer.BlockCopy(array, 0, bytes, 0, bytes.Length);
                _hash.Append(bytes);
                return;
            }
            foreach (var item in array)
            {
                AddValue(item, depth + 1);
            }
            return;
        }
        if (value is IEnumerable sequence && type.Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) == true)
        {
            foreach (var item in sequence)
            {
                AddValue(item, depth + 1);
            }
            return;
        }
        // Closures, tuples and the user's own types: their fields. Other libraries' objects: their type only, since
        // their private state may hold anything (times, handles, caches) that would change the identity on every run.
        // C# puts every captured local of a scope into one closure object: of a closure, only the fields that the
        // function's code reads count, so that a sibling lambda's captures do not change this function's identity.
        var closure = type.IsDefined(typeof(CompilerGeneratedAttribute));
        if (type.Assembly == _home || closure || IsTuple(type))
        {
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (closure && !_readFields.Contains((field.Module, field.MetadataToken)))
                    {
                        continue;
                    }
                    Add(Normalize(field.Name));
                    AddValue(field.GetValue(value), depth + 1);
                }
            }
        }
    }

    private static bool IsTuple(Type type) =>
        type.IsGenericType && type.Namespace == "System" && (type.Name.StartsWith("ValueTuple", StringComparison.Ordinal) || type.Name.StartsWith("Tuple", StringComparison.Ordinal) || type.Name.StartsWith("KeyValuePair", StringComparison.Ordinal));

    private void Add(string text)
    {
        _hash.Append(Encoding.UTF8.GetBytes(text));
        _hash.Append([0]);
    }

    private static string Describe(MethodBase method)
    {
        var parameters = string.Join(",", method.GetParameters().Select(p => Normalize(p.ParameterType.FullName ?? p.ParameterType.Name)));
        var returns = method is MethodInfo m ? Normalize(m.ReturnType.FullName ?? m.ReturnType.Name) : "ctor";
        var generic = method.IsGenericMethod ? "<" + string.Join(",", method.GetGenericArguments().Select(a => Normalize(a.FullName ?? a.Name))) + ">" : "";
        return $"{Normalize(method.DeclaringType?.FullName)}::{Normalize(method.Name)}{generic}({parameters}):{returns}";
    }

    /// <summary>Drops the ordinals of compiler-generated names (<c>&lt;Main&gt;b__0_3</c>, <c>&lt;&gt;c__DisplayClass0_0</c>).</summary>
    internal static string Normalize(string? name)
    {
        if (name is null || !name.Contains('<', StringComparison.Ordinal))
        {
            return name ?? "";
        }
        var sb = new StringBuilder(name.Length);
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '<')
            {
                depth++;
            }
            else if (c == '>')
            {
                depth--;
            }
            else if (char.IsAsciiDigit(c) && depth == 0 && InGeneratedSuffix(name, i))
            {
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>True when position <paramref name="i"/> follows a '&gt;' within the same name segment (no '.', '+' or '`' in between).</summary>
    private static bool InGeneratedSuffix(string name, int i)
    {
        for (var k = i - 1; k >= 0; k--)
        {
            var c = name[k];
            if (c == '>')
            {
                return true;
            }
            if (c is '.' or '+' or '`' or '[' or ',')
            {
                return false;
            }
        }
        return false;
    }

    private static bool IsToken(OperandType kind) => kind is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineSig
        or OperandType.InlineString or OperandType.InlineTok or OperandType.InlineType;

    private static int OperandSize(OperandType kind, byte[] il, int pos) => kind switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => pos + 4 <= il.Length ? 4 + (4 * BitConverter.ToInt32(il, pos)) : 4,
        _ => 4,
    };
}