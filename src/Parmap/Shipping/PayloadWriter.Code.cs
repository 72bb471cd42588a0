using System.Reflection;

using MessagePack;

namespace Parmap.Shipping;

// Naming code: methods (as the mode says) and types (type = [0, assembly, fullName] | [1, assembly, definition, [args]] | [2, rank, element]).
internal sealed partial class PayloadWriter
{
    private void WriteMethod(ref MessagePackWriter writer, MethodInfo method) => _mode.WriteMethod(ref writer, method, this);

    /// <summary>The generic arguments of <paramref name="method"/>'s type, then its own: two arrays of types.</summary>
    internal void WriteGenericArguments(ref MessagePackWriter writer, MethodInfo method)
    {
        var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : [];
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : [];
        writer.WriteArrayHeader(typeArguments.Length);
        foreach (var argument in typeArguments)
        {
            WriteType(ref writer, argument);
        }
        writer.WriteArrayHeader(methodArguments.Length);
        foreach (var argument in methodArguments)
        {
            WriteType(ref writer, argument);
        }
    }

    internal void WriteType(ref MessagePackWriter writer, Type type)
    {
        if (type.IsArray)
        {
            writer.WriteArrayHeader(3);
            writer.Write(2);
            writer.Write(type.IsSZArray ? 0 : type.GetArrayRank());
            WriteType(ref writer, type.GetElementType()!);
            return;
        }
        var generic = type.IsGenericType && !type.IsGenericTypeDefinition;
        var definition = generic ? type.GetGenericTypeDefinition() : type;
        var name = definition.FullName ?? throw new InvalidOperationException($"The type {type} has no full name and cannot be shipped.");
        writer.WriteArrayHeader(generic ? 4 : 3);
        writer.Write(generic ? 1 : 0);
        writer.Write(definition.Assembly.GetName().Name);
        writer.Write(_mode.TypeName(name));
        if (generic)
        {
            var arguments = type.GetGenericArguments();
            writer.WriteArrayHeader(arguments.Length);
            foreach (var argument in arguments)
            {
                WriteType(ref writer, argument);
            }
        }
    }
}
