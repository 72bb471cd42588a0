using System.Globalization;

using Parmap.Tables;

namespace Parmap;

/// <summary>
/// One named axis of a <see cref="Grid"/>: a finite, indexed list of values. Create axes with the factories
/// (<see cref="Linspace"/>, <see cref="Logspace"/>, <see cref="Range(string, double, double, double)"/>,
/// <see cref="Values{T}(string, T[])"/>, <see cref="FromCsv(string, string, string?)"/>) and combine them with
/// <see cref="Grid.Of{T1, T2}(Axis{T1}, Axis{T2})"/> or <see cref="Grid.Zip{T1, T2}(Axis{T1}, Axis{T2})"/>.
/// </summary>
/// <remarks>Computed axes (linspace, logspace, range) compute each value on demand and hold no array.</remarks>
public abstract partial class Axis
{
    private protected Axis(string name, int count)
    {
        Name = name;
        Count = count;
    }

    /// <summary>The axis name: the column name in tables and the label in plots.</summary>
    public string Name { get; }

    /// <summary>Number of values on the axis (at least 1).</summary>
    public int Count { get; }

    /// <summary>The type of the axis values.</summary>
    public abstract Type ValueType { get; }

    /// <summary>A short description of how the values were made, e.g. <c>linspace 0 .. 1</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The value at <paramref name="index"/>, boxed.</summary>
    /// <param name="index">Position on the axis, from 0 to <see cref="Count"/> - 1.</param>
    public abstract object GetValue(int index);

    /// <summary>The position of <paramref name="value"/> on the axis, or -1 when the axis has no such value.</summary>
    /// <param name="value">The value to find; numbers of another numeric type are converted to <see cref="ValueType"/> first.</param>
    public abstract int IndexOfValue(object value);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}: {Count:N0} values, {Description}");

    /// <summary>A table column holding this axis' value for each row, given the row's position on the axis.</summary>
    internal abstract TableColumn ToColumn(Func<int, int> rowToIndex);

    /// <summary>An axis value as text, the way tables, plots and messages show it: invariant culture, shortest round-trip form for floating point.</summary>
    /// <param name="value">The value.</param>
    public static string Format(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        null => "null",
        _ => value.ToString() ?? "",
    };

    private static string CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An axis needs a name (it becomes the column name in tables and the label in plots); got an empty one.", nameof(name));
        }
        return name;
    }

    private static void CheckFinite(string name, double value, string what, string parameter)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"Axis '{name}': {what} must be a finite number, got {Format(value)}.");
        }
    }

    private static void CheckCount(string name, int count, string parameter)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(parameter, count, $"Axis '{name}': it needs at least 1 point, got {count}.");
        }
    }
}
