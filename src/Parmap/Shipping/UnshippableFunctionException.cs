using Parmap.Shipping;

namespace Parmap;

/// <summary>
/// The function cannot be sent to a worker process because something it captures cannot cross a process boundary
/// (a stream, a socket, a task, a cancellation token, anything disposable, a compiled expression, a cyclic object graph…).
/// Thrown before any worker starts; the message names the captured variable and says how to fix it.
/// </summary>
public sealed class UnshippableFunctionException : UnshippableException
{
    /// <summary>Creates the exception for the captured variable <paramref name="variableName"/>.</summary>
    /// <param name="variableName">The captured variable as written in the code (<c>stream</c>, <c>this.logger</c>, <c>items[3]</c>); empty when the function itself cannot be shipped.</param>
    /// <param name="variableType">The type of the value that cannot be shipped.</param>
    /// <param name="reason">Why it cannot cross a process boundary.</param>
    /// <param name="advice">How to fix it.</param>
    public UnshippableFunctionException(string variableName, Type variableType, string reason, string advice)
        : this(variableName, variableType, reason, advice, via: null)
    {
    }

    internal UnshippableFunctionException(string variableName, Type variableType, string reason, string advice, string? via)
        : base(Describe(variableName, variableType, reason, advice, via))
    {
        VariableName = variableName;
        VariableType = variableType;
        Reason = reason;
        Advice = advice;
        Via = via;
    }

    private UnshippableFunctionException(string message, string variableName, Type variableType, string reason, string advice)
        : base(message)
    {
        VariableName = variableName;
        VariableType = variableType;
        Reason = reason;
        Advice = advice;
    }

    /// <summary>
    /// The refusal of a function whose code reads a mutable static field (<paramref name="name"/>, e.g. <c>Program.Beta</c>):
    /// each worker process has its own copy, which never saw what the owner stored in it.
    /// </summary>
    internal static UnshippableFunctionException StaticField(string name, Type type, string local)
    {
        const string Reason = "worker processes have their own copy of static fields, so a value this process stored in it is not seen there (a worker sees the field's initial value)";
        var advice = $"Copy it into a local variable that the lambda captures (var {local} = {name}; then use {local} in the lambda), make it static readonly if it is set once at start-up, or set ProcessOptions.AllowMutableStaticReads = true if the workers set it themselves (in WorkerInitializer or a static constructor).";
        var message = $"The function reads the mutable static field '{name}' ({TypeCheck.Format(type)}), which cannot be sent to a worker process: {Reason}. {advice}";
        return new UnshippableFunctionException(message, name, type, Reason, advice);
    }

    /// <summary>The captured variable as written in the code, e.g. <c>stream</c> or <c>this.logger</c> (or the static field the function reads, e.g. <c>Program.Beta</c>); empty when the function itself cannot be shipped.</summary>
    public string VariableName { get; }

    /// <summary>The type of the value that cannot be shipped (the runtime type, e.g. <see cref="FileStream"/>).</summary>
    public Type VariableType { get; }

    /// <summary>Why the value cannot cross a process boundary, e.g. "streams hold OS handles".</summary>
    public string Reason { get; }

    /// <summary>How to fix it, e.g. "Open the stream inside the function instead, or run on threads (ExecutorOptions.Threads)."</summary>
    public string Advice { get; }

    /// <summary>The captured delegate through which the variable was reached, or null when the function captures it directly.</summary>
    internal string? Via { get; }

    /// <summary>The same refusal, reached through the captured delegate <paramref name="delegateVariable"/>.</summary>
    internal UnshippableFunctionException Through(string delegateVariable)
    {
        var via = Via is null ? delegateVariable : $"{delegateVariable}' → '{Via}";
        return new UnshippableFunctionException(VariableName, VariableType, Reason, Advice, via);
    }

    private static string Describe(string variableName, Type variableType, string reason, string advice, string? via)
    {
        var type = TypeNames.Display(variableType);
        if (variableName.Length == 0)
        {
            return $"The function ({type}) cannot be sent to a worker process: {reason}. {advice}";
        }
        if (via is null)
        {
            return $"The function captures '{variableName}' ({type}), which cannot be sent to a worker process: {reason}. {advice}";
        }
        return $"The function captures the delegate '{via}', which captures '{variableName}' ({type}); "
            + $"'{variableName}' cannot be sent to a worker process: {reason}. {advice}";
    }
}
