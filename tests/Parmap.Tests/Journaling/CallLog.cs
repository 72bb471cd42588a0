using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Parmap.Tests.Journaling;

/// <summary>
/// Records which inputs a function computed. Wrapped in a <see cref="StrongBox{T}"/> (a type of another assembly, which a
/// function's identity counts by its type only), so that two runs with different logs are runs of the same function.
/// </summary>
internal sealed class CallLog
{
    private readonly StrongBox<ConcurrentBag<int>> _box = new(new ConcurrentBag<int>());

    public int Count => _box.Value!.Count;

    public IEnumerable<int> Inputs => _box.Value!;

    /// <summary>x -> 3x, logged.</summary>
    public Func<int, long> Triple() => Triple(_box);

    /// <summary>x -> x, logged; throws for 7 when <paramref name="failSeven"/> is set in the box.</summary>
    public Func<int, int> Identity(StrongBox<bool> failSeven) => Identity(_box, failSeven);

    private static Func<int, long> Triple(StrongBox<ConcurrentBag<int>> log) => x =>
    {
        log.Value!.Add(x);
        return x * 3L;
    };

    private static Func<int, int> Identity(StrongBox<ConcurrentBag<int>> log, StrongBox<bool> failSeven) => x =>
    {
        log.Value!.Add(x);
        return x == 7 && failSeven.Value ? throw new InvalidOperationException("seven") : x;
    };
}
