using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Parmap.Shipping;

/// <summary>Why a captured value cannot cross a process boundary, and what to do instead.</summary>
internal readonly record struct Refusal(string Reason, string Advice);

/// <summary>
/// The one table of what cannot cross to a worker process or a cluster node, each kind with its own advice: used for the
/// values a function captures (<see cref="For"/>) and for input and result types (<see cref="ForData"/>).
/// </summary>
internal static class Refusals
{
    private const string OrThreads = "or run on threads (ExecutorOptions.Threads)";

    /// <summary>The refusal for a value of runtime type <paramref name="type"/>, or null when nothing forbids shipping it.</summary>
    public static Refusal? For(Type type)
    {
        if (type.IsPointer || type.IsFunctionPointer || type == typeof(IntPtr) || type == typeof(UIntPtr) || type == typeof(Pointer))
        {
            return new("pointers and native handles are only valid inside this process",
                $"Capture the data they point to (for example an array) instead, {OrThreads}.");
        }
        if (typeof(Stream).IsAssignableFrom(type))
        {
            return new("streams hold OS handles", $"Open the stream inside the function instead, {OrThreads}.");
        }
        if (typeof(Socket).IsAssignableFrom(type) || typeof(TcpClient).IsAssignableFrom(type) || typeof(UdpClient).IsAssignableFrom(type)
            || typeof(HttpMessageInvoker).IsAssignableFrom(type))
        {
            return new("network connections belong to this process",
                $"Create the client or connection inside the function instead, {OrThreads}.");
        }
        if (typeof(Thread).IsAssignableFrom(type))
        {
            return new("threads belong to this process", $"Start any thread you need inside the function, {OrThreads}.");
        }
        if (typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask)
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return new("a task is an operation running in this process",
                "Await it before the map and capture its result instead, or start the work inside the function.");
        }
        if (type == typeof(CancellationToken) || type == typeof(CancellationTokenRegistration) || typeof(CancellationTokenSource).IsAssignableFrom(type))
        {
            return new("cancellation tokens only work inside one process",
                "Use the overload whose function takes a CancellationToken parameter: Parmap passes a token that is cancelled in the worker too.");
        }
        if (typeof(WaitHandle).IsAssignableFrom(type) || typeof(SafeHandle).IsAssignableFrom(type) || typeof(CriticalHandle).IsAssignableFrom(type)
            || type == typeof(SemaphoreSlim) || type == typeof(ManualResetEventSlim) || type == typeof(CountdownEvent) || type == typeof(Barrier)
            || type == typeof(ReaderWriterLockSlim) || type == typeof(Lock))
        {
            return new("locks, events and OS handles only work inside one process",
                $"Create it inside the function if each item needs its own, {OrThreads} if the items must share it.");
        }
        if (type == typeof(Random) || type.IsSubclassOf(typeof(Random)))
        {
            return new("each worker would get its own copy of the generator and draw the same numbers as the others",
                "Create the Random inside the function from a seed and the item (for example new Random(HashCode.Combine(seed, x))).");
        }
        if (typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            && (type.Namespace?.StartsWith("System.Linq", StringComparison.Ordinal) == true || TypeNames.IsStateMachine(type)))
        {
            return new("it is a lazy query that would run again in every worker",
                "Materialize it before the map (call .ToArray() or .ToList()) and capture the result.");
        }
        if (typeof(IDisposable).IsAssignableFrom(type) || typeof(IAsyncDisposable).IsAssignableFrom(type))
        {
            return new("it is disposable, so it likely owns a file, connection or other resource of this process",
                $"Create it inside the function instead, {OrThreads}.");
        }
        return null;
    }

    /// <summary>
    /// The refusal for an input or result type (data that travels with every item), or null: everything <see cref="For"/>
    /// refuses, and also code (delegates), reflection objects and exceptions, which MessagePack cannot rebuild.
    /// </summary>
    public static Refusal? ForData(Type type)
    {
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return new("a delegate is code, not data", "Pass data as the input and call the code inside the function.");
        }
        if (typeof(Exception).IsAssignableFrom(type))
        {
            return new("exceptions do not serialize", "Return the message or a result record instead; a failing item's exception reaches the caller by itself.");
        }
        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type) || typeof(Module).IsAssignableFrom(type))
        {
            return Unsupported(type);
        }
        return For(type);
    }

    /// <summary>The refusal for a framework type that Parmap has no way to copy.</summary>
    public static Refusal Unsupported(Type type)
    {
        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type) || typeof(Module).IsAssignableFrom(type))
        {
            return new("reflection objects describe this process's loaded code",
                $"Capture a name (for example the method name) and look it up inside the function, {OrThreads}.");
        }
        return new($"Parmap cannot copy {TypeNames.Display(type)} to another process",
            "Capture plain data instead (numbers, strings, arrays, List, Dictionary, HashSet, records, your own classes) "
            + $"and build the {type.Name} inside the function, {OrThreads}.");
    }

    /// <summary>The refusal for a delegate compiled at run time (Expression.Compile, DynamicMethod).</summary>
    public static Refusal DynamicCode { get; } = new(
        "it is compiled at run time (Expression.Compile or a DynamicMethod) and exists only in this process's memory",
        $"Compile the expression inside the function (or write the function as a lambda), {OrThreads}.");

    /// <summary>The refusal for an object graph that refers back to itself.</summary>
    public static Refusal Cycle(string ancestor, bool recursiveDelegate)
    {
        ancestor = ancestor.Length == 0 ? "the function itself" : $"'{ancestor}'";
        return recursiveDelegate
            ? new($"it refers back to {ancestor} (a lambda stored in a variable it calls itself through)",
                $"Write the recursive function as a local function instead of a lambda in a variable, {OrThreads}.")
            : new($"it refers back to {ancestor}, so the captured values form a cycle, and Parmap copies values and cannot copy a cycle",
                $"Capture only the data the function needs (without the back-reference), {OrThreads}.");
    }

    /// <summary>The refusal for an object graph deeper than Parmap follows.</summary>
    public static Refusal TooDeep(int depth)
    {
        return new($"its objects are nested more than {depth} levels deep (a long linked list?)",
            $"Capture the data as an array or List instead, {OrThreads}.");
    }

    /// <summary>The refusal for a user type that derives from a framework type other than object.</summary>
    public static Refusal FrameworkBase(Type baseType)
    {
        return new($"it derives from {TypeNames.Display(baseType)}, whose internals Parmap does not copy",
            $"Capture the data in a plain class, record or collection instead, {OrThreads}.");
    }

    /// <summary>The refusal for a collection whose comparer cannot be recreated in a worker.</summary>
    public static Refusal Comparer(Type comparerType)
    {
        return new($"it uses the comparer {TypeNames.Display(comparerType)}, which Parmap cannot recreate in a worker",
            $"Use the default comparer, a StringComparer (Ordinal, OrdinalIgnoreCase, InvariantCulture…) or your own comparer class, {OrThreads}.");
    }
}
