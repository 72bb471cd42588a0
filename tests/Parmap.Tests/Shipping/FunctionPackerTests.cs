using System.Collections.Immutable;
using System.Numerics;

using Parmap.Shipping;

namespace Parmap.Tests.Shipping;

// In-process round trips: Pack → Unpack → invoke. Round trip in a real worker process is covered by the process executor's tests.
public class FunctionPackerTests
{
    private readonly int _instanceOffset = 100;

    private static T RoundTrip<T>(T function)
        where T : Delegate
    {
        var rebuilt = FunctionPacker.Unpack(FunctionPacker.Pack(function));
        var typed = Assert.IsType<T>(rebuilt);
        if (function.Target is not null && !function.Target.GetType().Name.StartsWith("<>c", StringComparison.Ordinal)
            && !function.Target.GetType().Name.Contains("DisplayClass", StringComparison.Ordinal))
        {
            Assert.NotSame(function.Target, typed.Target);
        }
        return typed;
    }

    [Fact]
    public void Pack_StaticMethodGroup_RoundTrips()
    {
        Func<double, double> f = Scaler.Twice;

        var rebuilt = RoundTrip(f);

        Assert.Equal(f(21), rebuilt(21));
        Assert.Null(rebuilt.Target);
    }

    [Fact]
    public void Pack_InstanceMethodGroup_ShipsTargetObject()
    {
        // Given a method group on an object whose constructor parameter does not match its field
        var scaler = new Scaler(2.5);
        Func<double, double> f = scaler.Scale;

        // When it round trips
        var rebuilt = RoundTrip(f);

        // Then the rebuilt delegate runs on a copy of the object
        Assert.Equal(10.0, rebuilt(4));
        Assert.NotSame(scaler, rebuilt.Target);
    }

    [Fact]
    public void Pack_OpenInstanceAndClosedOverNullDelegates_RoundTrip()
    {
        // Delegates made by reflection: an open instance method, and a static method whose first argument is bound to null.
        var length = (Func<string, int>)Delegate.CreateDelegate(typeof(Func<string, int>), typeof(string).GetProperty("Length")!.GetMethod!);
        var closed = (Func<int>)Delegate.CreateDelegate(typeof(Func<int>), null, typeof(FunctionPackerTests).GetMethod(nameof(LengthOrMinusOne))!);

        Assert.Equal(3, RoundTrip(length)("abc"));
        Assert.Equal(-1, RoundTrip(closed)());
    }

    public static int LengthOrMinusOne(string? text) => text?.Length ?? -1;

    [Fact]
    public void Pack_NonCapturingLambda_ReusesCachedSingleton()
    {
        Func<int, int> f = x => x * 2;

        var rebuilt = RoundTrip(f);

        Assert.Equal(14, rebuilt(7));
        Assert.Same(f.Target, rebuilt.Target);
    }

    [Fact]
    public void Pack_CapturedNumbersAndString_CopiesValues()
    {
        var k = 3;
        var scale = 0.5;
        var label = "x=";
        Func<int, string> f = x => label + ((x * k) + scale);

        var rebuilt = RoundTrip(f);
        k = 1000;

        // The copy was taken at Pack: later changes to the variables do not reach it.
        Assert.Equal("x=6.5", rebuilt(2));
        Assert.Equal("x=2000.5", f(2));
    }

    [Fact]
    public void Pack_CapturedArrays_RoundTrip()
    {
        var weights = new[] { 0.5, 1.5, 2.5 };
        var names = new[] { "a", null, "c" };
        var grid = new int[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var jagged = new[] { new[] { 1 }, new[] { 2, 3 } };
        var colors = new[] { Color.Red, Color.Green };
        Func<int, string> f = i =>
            $"{weights[i]} {names[i]} {grid[1, i]} {jagged[1].Sum()} {colors[i % 2]} {grid.GetLength(0)}x{grid.GetLength(1)}";

        var rebuilt = RoundTrip(f);

        Assert.Equal(f(0), rebuilt(0));
        Assert.Equal(f(1), rebuilt(1));
        Assert.Equal(f(2), rebuilt(2));
    }

    [Fact]
    public void Pack_CapturedRecordsAndPolymorphicValues_RoundTrip()
    {
        var origin = new Point(1, 2);
        Shape shape = new Circle("c", 2);
        IModel model = new Polynomial(1, 2, 3);
        object boxed = 42;
        IReadOnlyList<int> collection = [1, 2, 3];
        var pair = new Pair { A = 7, B = "b" };
        var tuple = (Count: 2, Name: "t");
        var anonymous = new { Id = 9, Tag = "anon" };
        Func<double, string> f = x =>
            $"{origin.X + x} {origin} {shape} {model.Evaluate(x)} {boxed} {collection.Sum()} {pair.A}{pair.B} {tuple} {anonymous}";

        var rebuilt = RoundTrip(f);

        Assert.Equal(f(2), rebuilt(2));
    }

    [Fact]
    public void Pack_CapturedLeafValues_RoundTrip()
    {
        var when = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Local);
        var offset = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        var price = 12.345m;
        var big = BigInteger.Pow(3, 100);
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var complex = new Complex(1, -2);
        Half half = (Half)1.5;
        Int128 wide = Int128.MaxValue - 5;
        var day = new DateOnly(2020, 2, 29);
        var span = TimeSpan.FromMinutes(90);
        var uri = new Uri("https://example.org/a?b=c");
        var version = new Version(1, 2, 3);
        var type = typeof(Dictionary<string, Point>);
        char letter = 'λ';
        int? maybe = 5;
        int? none = null;
        Func<int, string> f = _ =>
            $"{when.Kind} {when:O} {offset:O} {price} {big} {id} {complex} {half} {wide} {day} {span} {uri} {version} {type} {letter} {maybe} {none}";

        var rebuilt = RoundTrip(f);

        Assert.Equal(f(0), rebuilt(0));
    }

    [Fact]
    public void Pack_CapturedCollections_RoundTripWithComparers()
    {
        var list = new List<Point> { new(1, 1), new(2, 2) };
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["One"] = 1, ["Two"] = 2 };
        var set = new HashSet<int> { 3, 1, 2 };
        var sorted = new SortedDictionary<string, int>(new LengthFirst()) { ["ccc"] = 3, ["a"] = 1, ["bb"] = 2 };
        var stack = new Stack<int>([1, 2, 3]);
        var queue = new Queue<string>(["first", "second"]);
        var immutable = ImmutableArray.Create(4, 5, 6);
        Func<string, string> f = key =>
            $"{list.Sum(p => p.X)} {counts[key]} {set.Contains(2)} {string.Join(",", sorted.Keys)} "
            + $"{string.Join(",", stack)} {queue.Peek()} {immutable.Sum()}";

        var rebuilt = RoundTrip(f);

        // "ONE" only matches "One" with the OrdinalIgnoreCase comparer; the stack keeps its order.
        Assert.Equal("3 1 True a,bb,ccc 3,2,1 first 15", rebuilt("ONE"));
    }

    [Fact]
    public void Pack_LambdaCapturingThis_ShipsTheObject()
    {
        var scaler = new Scaler(3);
        var f = scaler.Lambda();

        var rebuilt = RoundTrip(f);

        Assert.Equal(7.0, rebuilt(2));
    }

    [Fact]
    public void Pack_LambdaCapturingTestClassThis_ReadsInstanceField()
    {
        var k = 2;
        Func<int, int> f = x => (x * k) + _instanceOffset;

        var rebuilt = RoundTrip(f);

        Assert.Equal(110, rebuilt(5));
    }

    [Fact]
    public void Pack_InheritedPrivateFieldsWithSameName_RoundTrip()
    {
        var derived = new Derived(1, 2);
        Func<int, int> f = x => x + derived.Sum;

        var rebuilt = RoundTrip(f);

        Assert.Equal(21, rebuilt(0));
    }

    [Fact]
    public void Pack_NonSerializedField_LeftDefaultInRebuiltObject()
    {
        var holder = new WithCache { Offset = 4 };
        Func<int, int> f = x => (x + holder.Offset) * 10 + holder.CacheSize;

        var rebuilt = RoundTrip(f);

        // The original has a cache of one entry; the copy has none (CacheSize -1).
        Assert.Equal(51, f(1));
        Assert.Equal(49, rebuilt(1));
    }

    [Fact]
    public void Pack_NestedClosures_RoundTrip()
    {
        var outer = 10;
        var functions = new List<Func<int, int>>();
        for (var i = 0; i < 3; i++)
        {
            var inner = i;
            functions.Add(x => x + outer + inner);
        }

        var rebuilt = functions.Select(RoundTrip).ToList();

        Assert.Equal([11, 12, 13], rebuilt.Select(f => f(1)));
    }

    [Fact]
    public void Pack_GenericClosure_RoundTrips()
    {
        var f = Factories.Describe(new Point(1, 2));
        var g = Factories.Repeat<string>(3);

        Assert.Equal(f(new Point(5, 6)), RoundTrip(f)(new Point(5, 6)));
        Assert.Equal(["a", "a", "a"], RoundTrip(g)("a"));
    }

    [Fact]
    public void Pack_GenericMethodGroup_RoundTrips()
    {
        Func<Point, Point> f = Factories.Same;

        var rebuilt = RoundTrip(f);

        Assert.Equal(new Point(3, 4), rebuilt(new Point(3, 4)));
    }

    [Fact]
    public void Pack_LocalFunctions_RoundTrip()
    {
        var k = 4;
        int Scale(int x) => x * k;
        static int Square(int x) => x * x;
        Func<int, int> capturing = Scale;
        Func<int, int> viaLambda = x => Scale(x) + Square(x);
        Func<int, int> nonCapturing = Square;

        Assert.Equal(12, RoundTrip(capturing)(3));
        Assert.Equal(21, RoundTrip(viaLambda)(3));
        Assert.Equal(9, RoundTrip(nonCapturing)(3));
    }

    [Fact]
    public async Task Pack_AsyncLambda_RoundTrips()
    {
        var k = 5;
        var label = "r";
        Func<int, Task<string>> f = async x =>
        {
            await Task.Yield();
            return label + (x * k);
        };

        var rebuilt = RoundTrip(f);

        Assert.Equal("r10", await rebuilt(2));
    }

    [Fact]
    public async Task Pack_AsyncLambdaWithSiblingStream_ShipsOnlyWhatMoveNextReads()
    {
        // Given an async lambda (its body runs in a state machine's MoveNext) sharing its closure with a stream
        var path = Path.GetTempFileName();
        try
        {
            using var stream = new FileStream(path, FileMode.Open);
            var k = 7;
            Func<long> sibling = () => stream.Length;
            Func<int, ValueTask<int>> f = async x =>
            {
                await Task.Yield();
                return x * k;
            };

            // When it is packed, then the stream stays behind and k, read only inside MoveNext, travels
            var rebuilt = RoundTrip(f);
            Assert.Equal(21, await rebuilt(3));
            GC.KeepAlive(sibling);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Pack_IteratorLocalFunction_RoundTrips()
    {
        var k = 3;
        IEnumerable<int> Multiples(int count)
        {
            for (var i = 1; i <= count; i++)
            {
                yield return i * k;
            }
        }
        Func<int, IEnumerable<int>> f = Multiples;

        var rebuilt = RoundTrip(f);

        Assert.Equal([3, 6, 9], rebuilt(3));
    }

    [Fact]
    public void Pack_CapturedDelegate_ShipsItRecursively()
    {
        var k = 3;
        Func<int, int> inner = x => x + k;
        Func<int, int> g = Factories.Multiplier(2);
        Func<int, int> f = x => g(inner(x));

        var rebuilt = RoundTrip(f);

        Assert.Equal(10, rebuilt(2));
    }

    [Fact]
    public void Pack_RecursiveLambdaInVariable_RoundTrips()
    {
        // Given a lambda that calls itself through the variable it is stored in (its closure refers back to itself)
        Func<int, int> fib = null!;
        fib = n => n < 2 ? n : fib(n - 1) + fib(n - 2);

        var rebuilt = RoundTrip(fib);

        Assert.Equal(55, rebuilt(10));
        Assert.NotSame(fib.Target, rebuilt.Target);
    }

    [Fact]
    public void Pack_ParmapWrapperAroundUserLambda_ShipsBoth()
    {
        // Given Parmap's own wrapper, which captures the user's delegate
        var k = 3;
        Func<int, int> user = x => x * k;
        var wrapper = Parmap.Executors.WorkFunction<int, int>.From(user).Sync!;

        var rebuilt = RoundTrip(wrapper);

        Assert.Equal(12, rebuilt(4, CancellationToken.None));
    }

    [Fact]
    public void Pack_MulticastDelegate_RoundTripsEveryTarget()
    {
        var first = 1;
        var second = 2;
        Action<List<int>> f = list => list.Add(first);
        f += list => list.Add(second);
        var seen = new List<int>();

        RoundTrip(f)(seen);

        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void Pack_SiblingCaptureOfStream_IsNotShippedWhenUnread()
    {
        // Given a lambda whose closure class also holds a stream captured by a sibling lambda in the same scope
        var path = Path.GetTempFileName();
        try
        {
            using var stream = new FileStream(path, FileMode.Open);
            var k = 3;
            Func<long> sibling = () => stream.Length;
            Func<int, int> f = x => x * k;
            Assert.Same(sibling.Target, f.Target);

            // When the lambda that does not read the stream is packed
            var rebuilt = RoundTrip(f);

            // Then it ships, and the stream stays behind
            Assert.Equal(12, rebuilt(4));
            Assert.Throws<UnshippableFunctionException>(() => FunctionPacker.Pack(sibling));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
