using Parmap.Executors;

namespace Parmap.Shipping;

/// <summary>A function packed to run elsewhere (a worker process, a cluster node): its bytes, the shape of delegate it is, and an id the receivers cache it under.</summary>
internal sealed class ShippedFunction
{
    private static int s_lastId;

    private ShippedFunction(int shape, byte[] payload)
    {
        Id = Interlocked.Increment(ref s_lastId);
        Shape = shape;
        Payload = payload;
    }

    public int Id { get; }

    /// <summary>Which <see cref="WorkFunction{TIn, TOut}"/>.From overload rebuilds it (see <see cref="ShapeOf{TIn, TOut}"/>).</summary>
    public int Shape { get; }

    public byte[] Payload { get; }

    /// <summary>Checks the input and result types and packs the function; throws before any worker starts when something cannot travel.</summary>
    /// <param name="function">The function.</param>
    /// <param name="initializer">Code that runs in each worker before the function (its writes to static fields are the workers' own settings).</param>
    /// <param name="allowMutableStaticReads">Let the function read mutable static fields that neither it nor the initializer writes.</param>
    /// <exception cref="UnshippableTypeException">The input or result type cannot travel.</exception>
    /// <exception cref="UnshippableFunctionException">Something the function captures cannot travel, or it reads a mutable static field set elsewhere.</exception>
    public static ShippedFunction Create<TIn, TOut>(WorkFunction<TIn, TOut> function, Delegate? initializer = null, bool allowMutableStaticReads = false)
    {
        TypeCheck.Check(typeof(TIn), "input");
        TypeCheck.Check(typeof(TOut), "result");
        var shape = ShapeOf<TIn, TOut>(function.Original);
        if (!allowMutableStaticReads)
        {
            StaticFields.Check(function.Original, initializer);
        }
        return new ShippedFunction(shape, FunctionPacker.Pack(function.Original));
    }

    /// <summary>0: Func&lt;TIn,TOut&gt;, 1: with token, 2: Task, 3: Task with token, 4: ValueTask, 5: ValueTask with token.</summary>
    public static int ShapeOf<TIn, TOut>(Delegate original)
    {
        // Exact types, not 'is': delegate variance would let a Func<object, string> pass as a Func<string, object>,
        // and the worker rebuilds the types from the delegate it receives.
        var type = original.GetType();
        return type == typeof(Func<TIn, TOut>) ? 0
            : type == typeof(Func<TIn, CancellationToken, TOut>) ? 1
            : type == typeof(Func<TIn, Task<TOut>>) ? 2
            : type == typeof(Func<TIn, CancellationToken, Task<TOut>>) ? 3
            : type == typeof(Func<TIn, ValueTask<TOut>>) ? 4
            : type == typeof(Func<TIn, CancellationToken, ValueTask<TOut>>) ? 5
            : throw new ArgumentException(
                $"The function is a '{TypeCheck.Format(type)}' used as a function from '{TypeCheck.Format(typeof(TIn))}' to '{TypeCheck.Format(typeof(TOut))}' " +
                "through delegate variance; worker processes need the exact types. Wrap it in a lambda: x => f(x).", nameof(original));
    }

    /// <summary>In the worker: the input and result types of an unpacked function of <paramref name="shape"/>.</summary>
    public static (Type In, Type Out) TypesOf(Delegate function, int shape)
    {
        var arguments = function.GetType().GetGenericArguments();
        var returned = arguments[^1];
        return (arguments[0], shape <= 1 ? returned : returned.GetGenericArguments()[0]);
    }

    public static WorkFunction<TIn, TOut> Rebuild<TIn, TOut>(Delegate function, int shape) => shape switch
    {
        0 => WorkFunction<TIn, TOut>.From((Func<TIn, TOut>)function),
        1 => WorkFunction<TIn, TOut>.From((Func<TIn, CancellationToken, TOut>)function),
        2 => WorkFunction<TIn, TOut>.From((Func<TIn, Task<TOut>>)function),
        3 => WorkFunction<TIn, TOut>.From((Func<TIn, CancellationToken, Task<TOut>>)function),
        4 => WorkFunction<TIn, TOut>.From((Func<TIn, ValueTask<TOut>>)function),
        5 => WorkFunction<TIn, TOut>.From((Func<TIn, CancellationToken, ValueTask<TOut>>)function),
        _ => throw new InvalidDataException($"Unknown function shape {shape}."),
    };
}
