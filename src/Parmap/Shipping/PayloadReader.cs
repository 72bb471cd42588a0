using System.Reflection;
using System.Runtime.CompilerServices;

using MessagePack;

namespace Parmap.Shipping;

/// <summary>Rebuilds a delegate from a payload written by <see cref="PayloadWriter"/> (layout documented there).</summary>
/// <remarks>
/// The payload names types and creates objects of them, so it must come from a trusted owner (this app's own process),
/// never from the network or a file someone else wrote.
/// </remarks>
internal sealed partial class PayloadReader
{
    private readonly Dictionary<string, Assembly> _assemblies = new(StringComparer.Ordinal);
    private readonly List<object> _closures = [];

    private PayloadReader()
    {
    }

    public static Delegate Read(ReadOnlyMemory<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        Expect(ref reader, 2, "payload");
        var version = reader.ReadInt32();
        if (version != PayloadWriter.FormatVersion)
        {
            throw new ParmapException(
                $"The function was packed in format version {version}, but this Parmap reads version {PayloadWriter.FormatVersion}: "
                + "the worker runs a different Parmap build than its owner. Make sure both run the same build of the app.");
        }
        var function = new PayloadReader().ReadDelegate(ref reader);
        if (!reader.End)
        {
            throw new InvalidDataException("Unexpected data after the function.");
        }
        return function;
    }

    private Delegate ReadDelegate(ref MessagePackReader reader)
    {
        Expect(ref reader, 2, "delegate");
        var delegateType = ReadType(ref reader);
        var count = reader.ReadArrayHeader();
        var singles = new Delegate[count];
        for (var i = 0; i < count; i++)
        {
            singles[i] = ReadSingle(ref reader, delegateType);
        }
        return Delegate.Combine(singles) ?? throw new InvalidDataException("A delegate without methods.");
    }

    private Delegate ReadSingle(ref MessagePackReader reader, Type delegateType)
    {
        Expect(ref reader, 3, "method");
        var method = ReadMethod(ref reader);
        var kind = reader.ReadInt32();
        switch (kind)
        {
            case 0:
                reader.ReadNil();
                return Delegate.CreateDelegate(delegateType, method);
            case 1:
                var cacheType = ReadType(ref reader);
                var cache = cacheType.GetField("<>9", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                    ?? throw Mismatch(cacheType.Assembly, $"the lambda cache {cacheType} has no singleton");
                return Delegate.CreateDelegate(delegateType, cache.GetValue(null), method);
            case 2:
                return Delegate.CreateDelegate(delegateType, ReadValue(ref reader, typeof(object)), method);
            default:
                throw new InvalidDataException($"Unknown delegate target kind {kind}.");
        }
    }

    private MethodInfo ReadMethod(ref MessagePackReader reader)
    {
        Expect(ref reader, 6, "method");
        var assembly = LoadAssembly(reader.ReadString()!);
        var mvid = new Guid(ReadByteArray(ref reader));
        var token = reader.ReadInt32();
        var typeArguments = ReadTypes(ref reader);
        var methodArguments = ReadTypes(ref reader);
        var description = reader.ReadString();
        var module = assembly.Modules.FirstOrDefault(m => m.ModuleVersionId == mvid)
            ?? throw Mismatch(assembly, $"the function {description} was packed from a build whose module version is {mvid}, "
                + $"but the worker loaded {assembly.ManifestModule.ModuleVersionId}");
        var method = module.ResolveMethod(token) as MethodInfo
            ?? throw Mismatch(assembly, $"the token of the function {description} does not name a method");
        if (typeArguments.Length > 0)
        {
            var declaring = method.DeclaringType!.MakeGenericType(typeArguments);
            method = (MethodInfo)MethodBase.GetMethodFromHandle(method.MethodHandle, declaring.TypeHandle)!;
        }
        if (methodArguments.Length > 0)
        {
            method = method.MakeGenericMethod(methodArguments);
        }
        return method;
    }

    private Type[] ReadTypes(ref MessagePackReader reader)
    {
        var types = new Type[reader.ReadArrayHeader()];
        for (var i = 0; i < types.Length; i++)
        {
            types[i] = ReadType(ref reader);
        }
        return types;
    }

    private Type ReadType(ref MessagePackReader reader)
    {
        var length = reader.ReadArrayHeader();
        var kind = reader.ReadInt32();
        if (kind == 2 && length == 3)
        {
            var rank = reader.ReadInt32();
            var element = ReadType(ref reader);
            return rank == 0 ? element.MakeArrayType() : element.MakeArrayType(rank);
        }
        if ((kind == 0 && length == 3) || (kind == 1 && length == 4))
        {
            var assembly = LoadAssembly(reader.ReadString()!);
            var name = reader.ReadString()!;
            var type = assembly.GetType(name, throwOnError: false)
                ?? throw Mismatch(assembly, $"it has no type {name}");
            return kind == 0 ? type : type.MakeGenericType(ReadTypes(ref reader));
        }
        throw new InvalidDataException($"Unknown type reference kind {kind} of length {length}.");
    }

    private Assembly LoadAssembly(string name)
    {
        if (_assemblies.TryGetValue(name, out var assembly))
        {
            return assembly;
        }
        assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && a.GetName().Name == name);
        if (assembly is null)
        {
            try
            {
                assembly = Assembly.Load(new AssemblyName(name));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                throw new ParmapException(
                    $"The worker could not load the assembly '{name}' that the function needs: {e.Message} "
                    + "Workers run the app itself, so the assembly must be part of the app (referenced by it, copied to its output).", e);
            }
        }
        _assemblies[name] = assembly;
        return assembly;
    }

    private static ParmapException Mismatch(Assembly assembly, string detail)
    {
        return new ParmapException(
            $"The worker runs a different build of '{assembly.GetName().Name}' than the process that packed the function: {detail}. "
            + "Workers must run the same build as their owner; rebuild and restart the app (and any cluster nodes) so both use the same files.");
    }

    private static byte[] ReadByteArray(ref MessagePackReader reader)
    {
        var bytes = reader.ReadBytes() ?? throw new InvalidDataException("Expected bytes, found nil.");
        return System.Buffers.BuffersExtensions.ToArray(bytes);
    }

    private static void Expect(ref MessagePackReader reader, int length, string what)
    {
        var actual = reader.ReadArrayHeader();
        if (actual != length)
        {
            throw new InvalidDataException($"Expected a {what} of {length} items, found {actual}.");
        }
    }

    private object CreateFields(ref MessagePackReader reader, Type type)
    {
        var closure = ValueKinds.Plan(type).IsClosure;
        if (closure && reader.NextMessagePackType == MessagePackType.Extension)
        {
            var header = reader.ReadExtensionFormatHeader();
            var id = header.TypeCode == PayloadWriter.BackReference && header.Length == 4
                ? BitConverter.ToInt32(System.Buffers.BuffersExtensions.ToArray(reader.ReadRaw(4)))
                : throw new InvalidDataException($"Unknown extension {header.TypeCode} of length {header.Length}.");
            return id >= 0 && id < _closures.Count ? _closures[id] : throw new InvalidDataException($"Unknown closure {id}.");
        }
        var levels = ValueKinds.Layout(type, out _)
            ?? throw Mismatch(type.Assembly, $"the type {type} cannot be rebuilt field by field");
        var count = reader.ReadArrayHeader();
        if (count != levels.Length)
        {
            throw Mismatch(type.Assembly, $"the type {type} has {levels.Length} levels of inheritance, the payload {count}");
        }
        var value = RuntimeHelpers.GetUninitializedObject(type);
        if (closure)
        {
            // Registered before its fields are read: a lambda stored in one of them refers back to this closure.
            _closures.Add(value);
        }
        foreach (var level in levels)
        {
            var fields = reader.ReadMapHeader();
            for (var i = 0; i < fields; i++)
            {
                var name = reader.ReadString()!;
                var field = Array.Find(level, f => f.Name == name)
                    ?? throw Mismatch(type.Assembly, $"the type {type} has no field {name}");
                field.SetValue(value, ReadValue(ref reader, field.FieldType));
            }
        }
        return value;
    }
}
