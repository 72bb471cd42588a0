using System.Reflection;
using System.Runtime.ExceptionServices;

using MessagePack;

namespace Parmap.Remote;

/// <summary>
/// An exception crossing a process or machine boundary: type name, message and stack trace (and its inner exceptions).
/// The receiver rebuilds the same exception type when it has a (message, inner) constructor, with the remote stack trace
/// attached (CPython's <c>_RemoteTraceback</c>), else a <see cref="RemoteException"/>.
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

    private static Exception Rebuild(string typeName, string message, string? stack, Exception? inner, string origin)
    {
        Exception? rebuilt = null;
        try
        {
            var type = Type.GetType(typeName, throwOnError: false);
            if (type is not null && typeof(Exception).IsAssignableFrom(type) && !type.IsAbstract)
            {
                // (message, inner) is the one constructor whose meaning is the same on every exception type;
                // (string) alone means a parameter name on ArgumentNullException and an object name on ObjectDisposedException.
                var ctor = type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string), typeof(Exception)]);
                rebuilt = ctor?.Invoke([message, inner]) as Exception;
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or TypeLoadException or FileLoadException or FileNotFoundException or BadImageFormatException)
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
