using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

using MessagePack;

namespace Parmap.Shipping;

/// <summary>
/// How a payload names code: to be rebuilt in another process of the same build (<see cref="Shipping"/>: module version
/// and metadata token; what cannot travel is refused) or to be recognised again in a later run, after a rebuild
/// (<see cref="Identity"/>: stable names and code hashes; what cannot travel counts by its type).
/// </summary>
internal abstract class PayloadMode
{
    /// <summary>For <see cref="FunctionPacker.Pack"/>.</summary>
    public static PayloadMode Shipping { get; } = new ShippingMode();

    /// <summary>For <see cref="FunctionPacker.Identity"/>.</summary>
    public static PayloadMode Identity { get; } = new IdentityMode();

    /// <summary>Writes a method: how to find it again, then its generic arguments.</summary>
    public abstract void WriteMethod(ref MessagePackWriter writer, MethodInfo method, PayloadWriter payload);

    /// <summary>A type's full name as written.</summary>
    public abstract string TypeName(string fullName);

    /// <summary>A delegate compiled at run time (Expression.Compile, DynamicMethod).</summary>
    public abstract void WriteDynamic(ref MessagePackWriter writer, Delegate function, PayloadWriter payload);

    /// <summary>A value that cannot travel, reached through the variable <paramref name="variable"/>.</summary>
    public abstract void Refuse(ref MessagePackWriter writer, Type type, Refusal refusal, string variable);

    /// <summary>method = [assembly, mvid, token, [typeArgs], [methodArgs], description]</summary>
    private sealed class ShippingMode : PayloadMode
    {
        public override void WriteMethod(ref MessagePackWriter writer, MethodInfo method, PayloadWriter payload)
        {
            writer.WriteArrayHeader(6);
            writer.Write(method.Module.Assembly.GetName().Name);
            writer.Write(method.Module.ModuleVersionId.ToByteArray());
            writer.Write(method.MetadataToken);
            payload.WriteGenericArguments(ref writer, method);
            writer.Write($"{TypeNames.Display(method.DeclaringType!)}.{method.Name}");
        }

        public override string TypeName(string fullName) => fullName;

        public override void WriteDynamic(ref MessagePackWriter writer, Delegate function, PayloadWriter payload) =>
            payload.Refuse(ref writer, function.GetType(), Refusals.DynamicCode);

        public override void Refuse(ref MessagePackWriter writer, Type type, Refusal refusal, string variable) =>
            throw new UnshippableFunctionException(variable, type, refusal.Reason, refusal.Advice);
    }

    /// <summary>
    /// method = [stableName, [typeArgs], [methodArgs], codeHash] or, when its code reads settings, [..., [[setting, value], ...]].
    /// Without settings the identity is the one earlier versions computed, so their journals still resume.
    /// </summary>
    private sealed class IdentityMode : PayloadMode
    {
        private static readonly ConditionalWeakTable<object, object> s_dynamicIds = [];

        public override void WriteMethod(ref MessagePackWriter writer, MethodInfo method, PayloadWriter payload)
        {
            var settings = CodeAnalysis.Settings(method);
            writer.WriteArrayHeader(settings.Length > 0 ? 5 : 4);
            writer.Write(TypeNames.Stable(method));
            payload.WriteGenericArguments(ref writer, method);
            writer.Write(CodeAnalysis.CodeHash(method));
            if (settings.Length > 0)
            {
                WriteSettings(ref writer, settings);
            }
        }

        public override string TypeName(string fullName) => TypeNames.StableMember(fullName);

        public override void WriteDynamic(ref MessagePackWriter writer, Delegate function, PayloadWriter payload)
        {
            // Code compiled at run time cannot be fingerprinted: it is a new function in every run, never mistaken for another.
            var key = function.Target ?? function.Method;
            writer.Write("dynamic " + TypeNames.Stable(function.GetType()) + " " + s_dynamicIds.GetValue(key, static _ => Guid.NewGuid()));
        }

        // An identity is asked for functions that run on threads too: what cannot travel contributes its type only.
        public override void Refuse(ref MessagePackWriter writer, Type type, Refusal refusal, string variable) =>
            writer.Write("unshippable " + TypeNames.Stable(type));

        /// <summary>The current values of <paramref name="settings"/>, as [name, value as invariant text] pairs.</summary>
        private static void WriteSettings(ref MessagePackWriter writer, FieldInfo[] settings)
        {
            writer.WriteArrayHeader(settings.Length);
            foreach (var field in settings)
            {
                writer.WriteArrayHeader(2);
                writer.Write(TypeNames.Stable(field));
                writer.Write(SettingText(field));
            }
        }

        /// <summary>A setting's current value as invariant text; a marker when its type's initializer fails (the function would fail too).</summary>
        private static string? SettingText(FieldInfo field)
        {
            object? value;
            try
            {
                value = field.GetValue(null);
            }
            catch (Exception e) when (e is TypeInitializationException || e.InnerException is TypeInitializationException)
            {
                return "<unreadable>";
            }
            return value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString();
        }
    }
}
