namespace Parmap.Tests.Shipping;

// Types a user might capture, for the FunctionPacker tests.

public sealed record Point(double X, double Y);

public record Shape(string Name);

public sealed record Circle(string Name, double Radius) : Shape(Name);

public interface IModel
{
    double Evaluate(double x);
}

public sealed class Polynomial : IModel
{
    private readonly double[] _coefficients;

    public Polynomial(params double[] coefficients)
    {
        _coefficients = coefficients;
    }

    public double Evaluate(double x) => _coefficients.Reverse().Aggregate(0.0, (sum, c) => (sum * x) + c);
}

/// <summary>A plain class with a constructor whose parameter names do not match its fields.</summary>
public class Scaler
{
    private readonly double _factor;

    public Scaler(double factor)
    {
        _factor = factor;
    }

    public double Scale(double x) => x * _factor;

    public Func<double, double> Lambda() => x => Scale(x) + 1;

    public static double Twice(double x) => 2 * x;
}

/// <summary>Base and derived classes each declare a private field with the same name.</summary>
public class Base
{
    private readonly int _value;

    public Base(int value)
    {
        _value = value;
    }

    public int BaseValue => _value;
}

public sealed class Derived : Base
{
    private readonly int _value;

    public Derived(int baseValue, int value)
        : base(baseValue)
    {
        _value = value;
    }

    public int Sum => BaseValue + (10 * _value);
}

public sealed class WithCache
{
    [NonSerialized]
    private readonly Dictionary<int, int>? _cache = new() { [1] = 1 };

    public int Offset { get; init; }

    public int CacheSize => _cache?.Count ?? -1;
}

public sealed class Node
{
    public int Value { get; set; }

    public Node? Next { get; set; }
}

public sealed class Service
{
    private readonly StreamWriter _logger;
    private readonly int _offset = 5;

    public Service(StreamWriter logger)
    {
        _logger = logger;
    }

    public Func<int, int> Work() => x => x + _offset + (_logger.AutoFlush ? 0 : 1);
}

public sealed class Resource : IDisposable
{
    public int Size { get; init; }

    public void Dispose()
    {
    }
}

public sealed class LengthFirst : IComparer<string>
{
    public int Compare(string? x, string? y) => x!.Length != y!.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
}

public enum Color : byte
{
    Red = 1,
    Green = 2,
}

public struct Pair
{
    public int A;
    public string? B;
}

public static class Factories
{
    public static Func<int, int> Multiplier(int k) => x => x * k;

    public static Func<int, int> Adder(int k) => x => x + k;

    public static Func<T, T[]> Repeat<T>(int count) => x => Enumerable.Repeat(x, count).ToArray();

    public static Func<T, string> Describe<T>(T prefix) => x => $"{prefix}:{x}";

    public static T Same<T>(T x) => x;
}

public sealed class PatternHolder
{
    public System.Text.RegularExpressions.Regex? Pattern { get; init; }
}

public unsafe struct NativeView
{
    public double* Data;
    public int Length;
}
