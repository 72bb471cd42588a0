using System.Globalization;

using ScottPlot;

namespace Parmap.Plots;

/// <summary>Shared plumbing of the plot extensions: checks, axis scales and saving.</summary>
internal static class PlotSupport
{
    public static void CheckSize(int width, int height)
    {
        if (width < 50 || height < 50)
        {
            throw new ArgumentOutOfRangeException(width < 50 ? nameof(width) : nameof(height), width < 50 ? width : height, "A plot needs at least 50 x 50 pixels.");
        }
    }

    /// <summary>How an axis maps to plot coordinates: by value when it is numeric and evenly spaced, else by position with value labels.</summary>
    public static (double[] Coordinates, bool ByValue) Scale(Axis axis)
    {
        var n = axis.Count;
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        if (!IsNumeric(axis.ValueType))
        {
            return (positions, false);
        }
        var values = Values(axis);
        if (n == 1)
        {
            return (values, true);
        }
        var step = (values[^1] - values[0]) / (n - 1);
        var even = step != 0 && values.Select((v, i) => Math.Abs(v - (values[0] + (i * step)))).Max() <= 1e-6 * Math.Abs(step);
        return even ? (values, true) : (positions, false);
    }

    public static double[] Values(Axis axis) =>
        [.. Enumerable.Range(0, axis.Count).Select(i => Convert.ToDouble(axis.GetValue(i), CultureInfo.InvariantCulture))];

    /// <summary>Labels the ticks of an axis plotted by position with a handful of its values.</summary>
    public static void LabelPositions(IAxis plotAxis, Axis axis)
    {
        var n = axis.Count;
        var every = Math.Max(1, n / 8);
        var ticks = Enumerable.Range(0, n).Where(i => i % every == 0 || i == n - 1)
            .Select(i => new Tick(i, Axis.Format(axis.GetValue(i)))).ToArray();
        plotAxis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
    }

    public static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        plot.SavePng(path, width, height);
    }

    private static bool IsNumeric(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(decimal);
}
