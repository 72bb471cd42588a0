using System.Reflection;
using System.Runtime.ExceptionServices;

using MessagePack;

namespace Parmap.Remote;

/// <summary>
/// An exception crossing a process or machine boundary: type name, message and stack trace (and its inner exceptions).
/// The receiver rebuilds the same exception type whenever it can be made here (see <c>Construct</c>), with the remote
/// stack trace attached (CPython's <c>_RemoteTraceback</c>), else a <see cref="RemoteException"/> (a type this process
/// cannot load).
/// </summary>
internal static class RemoteError
{
    private const int MaxDepth = 8;

    /// <summary>Writes <paramref name="error"/> and up to 7 of its inner exceptions.</summary>
    public static void Write(ref MessagePackWriter writer, Exception error)
    {
        var depth = 0;
        for (var e = error; e is not null && depth < MaxDepth; e = e.InnerException)
        {
            depth++;
        }
        writer.WriteArrayHeader(depth * 3);
        var k = 0;
        for (var e = error; e is not null && k < depth; e = e.InnerException, k++)
        {
            writer.Write(e.GetType().AssemblyQualifiedName);
            writer.Write(SafeMessage(e));
            writer.Write(e.StackTrace);
        }
    }

    /// <summary>Reads an exception that <see cref="Write"/> wrote; <paramref name="origin"/> names where it was thrown ("worker 3").</summary>
    public static Exception Read(ref MessagePackReader reader, string origin)
    {
        var n = reader.ReadArrayHeader() / 3;
        var parts = new (string? Type, string? Message, string? Stack)[n];
        for (var k = 0; k < n; k++)
        {
            parts[k] = (reader.ReadString(), reader.ReadString(), reader.ReadString());
        }
        Exception? inner = null;
        for (var k = n - 1; k >= 0; k--)
        {
            inner = Rebuild(parts[k].Type ?? "System.Exception", parts[k].Message ?? "", parts[k].Stack, inner, origin);
        }
        return inner ?? new RemoteException("System.Exception", "(no details)", null, null);
    }

    private static readonly FieldInfo? s_message = typeof(Exception).GetField("_message", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly FieldInfo? s_inner = typeof(Exception).GetField("_innerException", BindingFlags.NonPublic | BindingFlags.Instance);

    private static Exception Rebuild(string typeName, string message, string? stack, Exception? inner, string origin)
    {
        Exception? rebuilt = null;
        try
        {
            var type = Type.GetType(typeName, throwOnError: false);
            if (type is not null && typeof(Exception).IsAssignableFrom(type) && !type.IsAbstract && !type.ContainsGenericParameters)
            {
                rebuilt = Construct(type, message, inner);
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or TypeLoadException or FileLoadException or FileNotFoundException or BadImageFormatException or ArgumentException)
        {
            rebuilt = null;
        }
        rebuilt ??= new RemoteException(typeName, message, stack, inner);
        if (!string.IsNullOrEmpty(stack))
        {
            ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt, $"{stack}{Environment.NewLine}--- End of stack trace in {origin} ---{Environment.NewLine}");
        }
        return rebuilt;
    }

    /// <summary>
    /// An exception of <paramref name="type"/> with the remote message and inner exception, by the first way that gives
    /// them: the (message, inner) constructor, whose meaning is the same on every exception type; a (message) constructor
    /// whose result has that message ((string) alone means a parameter name on ArgumentNullException); a parameterless one;
    /// or no constructor at all (an exception whose constructors all take other arguments). The latter ones get the
    /// message and inner exception set on <see cref="Exception"/>'s own fields. Other state of the exception (its own
    /// properties) does not travel. Null when none works.
    /// </summary>
    private static Exception? Construct(Type type, string message, Exception? inner)
    {
        const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        if (type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string), typeof(Exception)]) is { } full
            && full.Invoke([message, inner]) is Exception withBoth && withBoth.Message == message)
        {
            return withBoth;
        }
        if (s_message is null || s_inner is null)
        {
            return null;
        }
        Exception? made = null;
        if (type.GetConstructor(Instance, [typeof(string)]) is { } messageOnly && TryInvoke(messageOnly, [message]) is { } withMessage && withMessage.Message == message)
        {
            made = withMessage;
        }
        else if (type.GetConstructor(Instance, Type.EmptyTypes) is { } none && TryInvoke(none, []) is { } plain)
        {
            made = plain;
        }
        made ??= (Exception)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
        s_message.SetValue(made, message);
        s_inner.SetValue(made, inner);
        return made.Message == message ? made : null;
    }

    /// <summary>A constructor's exception, or null when the constructor itself throws (it may expect to run in the worker's state).</summary>
    private static Exception? TryInvoke(ConstructorInfo ctor, object?[] arguments)
    {
        try
        {
            return ctor.Invoke(arguments) as Exception;
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static string SafeMessage(Exception e)
    {
        try
        {
            return e.Message;
        }
        catch (Exception inner)
        {
            return $"<Message threw {inner.GetType().Name}>";
        }
    }
}
