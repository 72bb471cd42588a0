using System.Runtime.CompilerServices;

namespace Parmap;

/// <summary>Evenly spaced values with exact end points (see <see cref="Axis.Linspace"/>).</summary>
internal sealed class LinspaceAxis(string name, double start, double stop, int count) : Axis<double>(name, count)
{
    private readonly double _span = stop - start;

    public override string Description => $"linspace {Format(start)} .. {Format(stop)}";

    public override double this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            CheckIndex(index);
            if (index == Count - 1)
            {
                return Count == 1 ? start : stop;
            }
            if (double.IsInfinity(_span))
            {
                // The bounds are so far apart that stop - start overflows: interpolate without forming the difference.
                var t = (double)index / (Count - 1);
                return (start * (1 - t)) + (stop * t);
            }
            return start + ((_span * index) / (Count - 1));
        }
    }

    public override int IndexOf(double value)
    {
        if (Count == 1 || _span == 0 || double.IsInfinity(_span))
        {
            return base.IndexOf(value);
        }
        var guess = (long)Math.Round((value - start) / _span * (Count - 1));
        for (var i = Math.Max(0, guess - 1); i <= Math.Min(Count - 1, guess + 1); i++)
        {
            if (this[(int)i] == value)
            {
                return (int)i;
            }
        }
        return -1;
    }
}

/// <summary>Geometric sequence with exact end points (see <see cref="Axis.Logspace"/>).</summary>
internal sealed class LogspaceAxis(string name, double start, double stop, int count) : Axis<double>(name, count)
{
    private readonly double _sign = start < 0 ? -1 : 1;
    private readonly double _logStart = Math.Log10(Math.Abs(start));
    private readonly double _logSpan = Math.Log10(Math.Abs(stop)) - Math.Log10(Math.Abs(start));

    public override string Description => $"logspace {Format(start)} .. {Format(stop)}";

    public override double this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            CheckIndex(index);
            if (index == 0)
            {
                return start;
            }
            if (index == Count - 1)
            {
                return stop;
            }
            return _sign * Math.Pow(10, _logStart + ((_logSpan * index) / (Count - 1)));
        }
    }
}

/// <summary>Arithmetic sequence <c>start + i * step</c> (see <see cref="Axis.Range(string, double, double, double)"/>).</summary>
internal sealed class RangeAxis(string name, double start, double step, int count) : Axis<double>(name, count)
{
    public override string Description => $"range {Format(start)} .. {Format(this[Count - 1])} step {Format(step)}";

    public override double this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            CheckIndex(index);
            return start + (index * step);
        }
    }
}

/// <summary>Integer sequence <c>start + i * step</c>.</summary>
internal sealed class IntRangeAxis(string name, int start, int step, int count) : Axis<int>(name, count)
{
    public override string Description => $"range {start} .. {this[Count - 1]} step {step}";

    public override int this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            CheckIndex(index);
            return (int)(start + ((long)index * step));
        }
    }

    public override int IndexOf(int value)
    {
        var offset = (long)value - start;
        if (offset % step != 0)
        {
            return -1;
        }
        var i = offset / step;
        return i >= 0 && i < Count ? (int)i : -1;
    }
}

/// <summary>Explicit values held in an array.</summary>
internal sealed class ValuesAxis<T>(string name, T[] values, string description) : Axis<T>(name, values.Length)
    where T : notnull
{
    public override string Description => description;

    public override T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            CheckIndex(index);
            return values[index];
        }
    }
}
