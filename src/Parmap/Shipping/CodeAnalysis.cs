using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text;

namespace Parmap.Shipping;

/// <summary>
/// Reads the IL of a delegate's method to learn which captured variables it uses and to fingerprint its code.
/// </summary>
/// <remarks>
/// C# puts every captured local of a scope into one closure class, so a lambda's closure also holds its siblings'
/// variables. Only compiler-generated code touches closure fields, so following the lambda into the compiler-generated
/// methods it reaches (local functions, nested lambdas, async and iterator state machines) finds every field it can read.
/// </remarks>
internal static class CodeAnalysis
{
    private const int MaxIdentityMethods = 500;
    private static readonly ConcurrentDictionary<MethodInfo, IReadOnlySet<(Type, string)>?> s_reads = new();
    private static readonly ConcurrentDictionary<MethodInfo, CodeFacts> s_hashes = new();

    /// <summary>
    /// The closure fields <paramref name="method"/> can read or write, directly or through generated code it reaches, as
    /// (generic type definition, field name); null when some code could not be read, so that every field must count as read.
    /// </summary>
    public static IReadOnlySet<(Type Type, string Name)>? Reads(MethodInfo method)
    {
        return s_reads.GetOrAdd(method, static m => AnalyzeReads(m));
    }

    /// <summary>
    /// A SHA-256 of the code of <paramref name="method"/>: its own IL and that of every method it reaches in its assembly and
    /// every compiler-generated method it reaches, with metadata tokens replaced by member names so unrelated edits elsewhere in
    /// the assembly do not change it.
    /// </summary>
    public static byte[] CodeHash(MethodInfo method)
    {
        return Code(method).Hash;
    }

    /// <summary>
    /// The settings the code of <paramref name="method"/> reads (the code <see cref="CodeHash"/> covers): static readonly
    /// fields of a simple type (number, bool, char, string, enum) declared in the program's own code, ordered by name.
    /// Their values are set once per process, typically from the environment or a file, so a function's identity includes
    /// them. Fields that can change while a process runs (counters, caches) and fields of other types are not settings.
    /// </summary>
    public static FieldInfo[] Settings(MethodInfo method)
    {
        return Code(method).Settings;
    }

    /// <summary>
    /// The mutable static fields of the program's own code that the code of <paramref name="method"/> reads (the code
    /// <see cref="CodeHash"/> covers), and those it writes. A field it only reads holds a value set elsewhere: in another
    /// process it is that process's own copy. Thread-static fields, constants and static readonly fields are not among them.
    /// </summary>
    public static (FieldInfo[] Reads, FieldInfo[] Writes) MutableStatics(MethodInfo method)
    {
        var facts = Code(method);
        return (facts.StaticReads, facts.StaticWrites);
    }

    private static CodeFacts Code(MethodInfo method) => s_hashes.GetOrAdd(method, static m => ComputeHash(m));

    private static bool IsMutableStatic(FieldInfo field) =>
        field.IsStatic && !field.IsInitOnly && !field.IsLiteral && field.DeclaringType is { } owner && !TypeNames.IsCompilerGenerated(owner)
        && owner.Assembly != typeof(CodeAnalysis).Assembly && !ValueKinds.IsFramework(owner.Assembly) && !field.IsDefined(typeof(ThreadStaticAttribute), inherit: false);

    private static bool IsSetting(FieldInfo field)
    {
        if (!field.IsStatic || !field.IsInitOnly || field.DeclaringType is not { } owner || owner.ContainsGenericParameters || TypeNames.IsCompilerGenerated(owner)
            || owner.Assembly == typeof(CodeAnalysis).Assembly || ValueKinds.IsFramework(owner.Assembly))
        {
            return false;
        }
        var type = Nullable.GetUnderlyingType(field.FieldType) ?? field.FieldType;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal);
    }

    private static IReadOnlySet<(Type, string)>? AnalyzeReads(MethodInfo root)
    {
        var fields = new HashSet<(Type, string)>();
        var complete = true;
        Walk(root, follow: IsGenerated, (method, il, instruction, member) =>
        {
            if (member is FieldInfo field && field.DeclaringType is { } owner && TypeNames.IsCompilerGenerated(owner))
            {
                fields.Add((Definition(owner), field.Name));
            }
        }, onUnreadable: () => complete = false, limit: int.MaxValue);
        return complete ? fields : null;
    }

    private static CodeFacts ComputeHash(MethodInfo root)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var settings = new Dictionary<string, FieldInfo>(StringComparer.Ordinal);
        var staticReads = new Dictionary<string, FieldInfo>(StringComparer.Ordinal);
        var staticWrites = new Dictionary<string, FieldInfo>(StringComparer.Ordinal);
        // The code a function calls in its own assembly counts; the framework's does not (it changes only with the runtime).
        var assembly = ValueKinds.IsFramework(root.Module.Assembly) ? null : root.Module.Assembly;
        MethodBase? current = null;
        Walk(root, follow: m => m.Module.Assembly == assembly || IsGenerated(m), (method, il, instruction, member) =>
        {
            if (!ReferenceEquals(method, current))
            {
                current = method;
                Append(hash, "\nmethod " + TypeNames.Stable(method));
                Append(hash, " locals " + string.Join(",", method.GetMethodBody()?.LocalVariables.Select(l => TypeNames.Stable(l.LocalType)) ?? []));
                foreach (var clause in method.GetMethodBody()?.ExceptionHandlingClauses ?? [])
                {
                    Append(hash, $" try {clause.Flags} {clause.TryOffset} {clause.TryLength} {clause.HandlerOffset} {clause.HandlerLength}"
                        + (clause.Flags == ExceptionHandlingClauseOptions.Clause ? " " + TypeNames.Stable(clause.CatchType!) : ""));
                }
            }
            Append(hash, " " + instruction.OpCode.Name);
            if (member is FieldInfo read && (instruction.OpCode == OpCodes.Ldsfld || instruction.OpCode == OpCodes.Ldsflda) && IsSetting(read))
            {
                settings.TryAdd(TypeNames.Stable(read), read);
            }
            if (member is FieldInfo field && IsMutableStatic(field))
            {
                // ldsflda hands out the field's address: the code may read or write through it, so it counts as both.
                if (instruction.OpCode == OpCodes.Ldsfld || instruction.OpCode == OpCodes.Ldsflda)
                {
                    staticReads.TryAdd(TypeNames.Stable(field), field);
                }
                if (instruction.OpCode == OpCodes.Stsfld || instruction.OpCode == OpCodes.Ldsflda)
                {
                    staticWrites.TryAdd(TypeNames.Stable(field), field);
                }
            }
            if (!instruction.HasToken)
            {
                hash.AppendData(il, instruction.OperandOffset, instruction.OperandLength);
                return;
            }
            Append(hash, member switch
            {
                FieldInfo f => TypeNames.Stable(f),
                MethodBase m => TypeNames.Stable(m),
                Type t => TypeNames.Stable(t),
                string s => "\"" + s + "\"",
                byte[] signature => Convert.ToHexString(signature),
                _ => "?" + ILInstructions.Token(il, instruction),
            });
        }, onUnreadable: () => Append(hash, " unreadable"), limit: MaxIdentityMethods);
        if (current is null)
        {
            // No body (a runtime-implemented or extern method): its name and signature are all there is.
            Append(hash, "method " + TypeNames.Stable(root));
        }
        return new CodeFacts(hash.GetHashAndReset(), Ordered(settings), Ordered(staticReads), Ordered(staticWrites));
    }

    private static FieldInfo[] Ordered(Dictionary<string, FieldInfo> fields) => [.. fields.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value)];

    /// <summary>What one walk over a function's code finds: its fingerprint, the settings it reads, the mutable static fields it reads and writes.</summary>
    private sealed record CodeFacts(byte[] Hash, FieldInfo[] Settings, FieldInfo[] StaticReads, FieldInfo[] StaticWrites);

    private delegate void Visit(MethodBase method, byte[] il, ILInstruction instruction, object? member);

    /// <summary>Visits every instruction of <paramref name="root"/> and of the methods it reaches that <paramref name="follow"/> accepts, breadth first.</summary>
    private static void Walk(MethodBase root, Func<MethodBase, bool> follow, Visit visit, Action onUnreadable, int limit)
    {
        var queue = new Queue<MethodBase>();
        var seen = new HashSet<MethodBase>();
        var seenTypes = new HashSet<Type>();
        queue.Enqueue(root);
        seen.Add(root);
        while (queue.Count > 0)
        {
            var method = queue.Dequeue();
            byte[]? il;
            List<ILInstruction> instructions;
            try
            {
                il = method.GetMethodBody()?.GetILAsByteArray();
                instructions = il is null ? [] : ILInstructions.Decode(il);
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException or NotSupportedException or BadImageFormatException)
            {
                onUnreadable();
                continue;
            }
            foreach (var instruction in instructions)
            {
                var member = instruction.HasToken ? Resolve(method, il!, instruction) : null;
                if (instruction.HasToken && member is null)
                {
                    onUnreadable();
                }
                visit(method, il!, instruction, member);
                var owner = member switch
                {
                    FieldInfo f => f.DeclaringType,
                    MethodBase m => m.DeclaringType,
                    Type t => t,
                    _ => null,
                };
                // The body of an async or iterator lambda runs in its state machine's MoveNext, reached only through the
                // machine's fields and constructor: scan every method of such a type.
                if (owner is not null && TypeNames.IsStateMachine(owner) && seenTypes.Add(Definition(owner)))
                {
                    var stateMethods = Definition(owner)
                        .GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                        .OrderBy(m => m.MetadataToken);
                    foreach (var stateMethod in stateMethods)
                    {
                        Enqueue(stateMethod);
                    }
                }
                if (member is MethodBase callee && follow(callee))
                {
                    Enqueue(callee);
                }
            }
        }

        void Enqueue(MethodBase method)
        {
            if (seen.Count < limit && seen.Add(method))
            {
                queue.Enqueue(method);
            }
        }
    }

    private static object? Resolve(MethodBase method, byte[] il, ILInstruction instruction)
    {
        var token = ILInstructions.Token(il, instruction);
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        try
        {
            return instruction.OpCode.OperandType switch
            {
                OperandType.InlineString => method.Module.ResolveString(token),
                OperandType.InlineSig => method.Module.ResolveSignature(token),
                _ => method.Module.ResolveMember(token, typeArguments, methodArguments),
            };
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or MissingMemberException or TypeLoadException or FileNotFoundException or FileLoadException)
        {
            return null;
        }
    }

    private static bool IsGenerated(MethodBase method)
    {
        return (method.Name.StartsWith('<') || (method.DeclaringType is { } owner && TypeNames.IsCompilerGenerated(owner)))
            && method.GetMethodBody() is not null;
    }

    private static Type Definition(Type type) => type.IsGenericType ? type.GetGenericTypeDefinition() : type;

    private static void Append(IncrementalHash hash, string text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text));
    }
}
