using Parmap.Tables;

namespace Parmap;

// The factories: every way to make an axis, each validating its arguments with a message that names the axis.
public abstract partial class Axis
{
    /// <summary>
    /// <paramref name="count"/> evenly spaced values from <paramref name="start"/> to <paramref name="stop"/>, both end points included
    /// and exact: value i is <c>start + ((stop - start) * i) / (count - 1)</c>, one correctly rounded division, and the last value is
    /// <paramref name="stop"/> itself.
    /// </summary>
    /// <remarks>So <c>Linspace("a", 0, 1, n)</c> gives exactly <c>i / (n - 1)</c> (unlike numpy's <c>i * step</c>, which can differ in the last bit).
    /// A single point (<paramref name="count"/> = 1) is <paramref name="start"/>.</remarks>
    /// <param name="name">The axis name.</param>
    /// <param name="start">The first value.</param>
    /// <param name="stop">The last value.</param>
    /// <param name="count">Number of values, at least 1.</param>
    /// <exception cref="ArgumentException">The name is empty, a bound is NaN or infinite, or <paramref name="count"/> is below 1.</exception>
    public static Axis<double> Linspace(string name, double start, double stop, int count)
    {
        CheckName(name);
        CheckFinite(name, start, "the start", nameof(start));
        CheckFinite(name, stop, "the stop", nameof(stop));
        CheckCount(name, count, nameof(count));
        return new LinspaceAxis(name, start, stop, count);
    }

    /// <summary>
    /// <paramref name="count"/> values from <paramref name="start"/> to <paramref name="stop"/> evenly spaced on a log scale (a geometric
    /// sequence, like numpy's <c>geomspace</c>): value i is <c>10^(log10(start) + (log10(stop) - log10(start)) * i / (count - 1))</c>, so whole
    /// decades come out exact, and both end points are exact.
    /// </summary>
    /// <remarks>Both bounds must be non-zero and of the same sign (a negative pair gives negative values).</remarks>
    /// <param name="name">The axis name.</param>
    /// <param name="start">The first value (not zero).</param>
    /// <param name="stop">The last value (not zero, same sign as <paramref name="start"/>).</param>
    /// <param name="count">Number of values, at least 1.</param>
    /// <exception cref="ArgumentException">The name is empty, a bound is NaN, infinite or zero, the bounds differ in sign, or <paramref name="count"/> is below 1.</exception>
    public static Axis<double> Logspace(string name, double start, double stop, int count)
    {
        CheckName(name);
        CheckFinite(name, start, "the start", nameof(start));
        CheckFinite(name, stop, "the stop", nameof(stop));
        CheckCount(name, count, nameof(count));
        if (start == 0 || stop == 0 || (start < 0) != (stop < 0))
        {
            throw new ArgumentOutOfRangeException(start == 0 ? nameof(start) : nameof(stop), start == 0 ? start : stop,
                $"Axis '{name}': a log-spaced axis cannot reach or cross zero, got {Format(start)} .. {Format(stop)}. Use two non-zero bounds of the same sign, or Linspace for a range through zero.");
        }
        return new LogspaceAxis(name, start, stop, count);
    }

    /// <summary>
    /// The arithmetic sequence <c>start, start + step, start + 2 step, ...</c> up to <paramref name="stop"/> inclusive (like MATLAB's
    /// <c>start:step:stop</c>): value i is <c>start + i * step</c>. A stop within a millionth of a step of the sequence counts as reached,
    /// so <c>Range("x", 0, 1, 0.1)</c> has 11 values.
    /// </summary>
    /// <param name="name">The axis name.</param>
    /// <param name="start">The first value.</param>
    /// <param name="stop">The last value allowed (inclusive).</param>
    /// <param name="step">The distance between values; negative for a descending axis.</param>
    /// <exception cref="ArgumentException">The name is empty, a bound or the step is NaN or infinite, the step is zero or points away from
    /// <paramref name="stop"/>, or the axis would have more values than a grid can index.</exception>
    public static Axis<double> Range(string name, double start, double stop, double step)
    {
        CheckName(name);
        CheckFinite(name, start, "the start", nameof(start));
        CheckFinite(name, stop, "the stop", nameof(stop));
        CheckFinite(name, step, "the step", nameof(step));
        if (step == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Axis '{name}': the step must not be zero.");
        }
        var steps = Math.Floor(((stop - start) / step) + 1e-6);
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"Axis '{name}': the step {Format(step)} leads away from the stop, so the range {Format(start)} .. {Format(stop)} has zero points. Use a step of the other sign.");
        }
        if (steps + 1 > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"Axis '{name}': {Format(start)} .. {Format(stop)} in steps of {Format(step)} has {steps + 1:G4} points, more than the {Array.MaxLength:N0} an axis can index. Use a larger step.");
        }
        return new RangeAxis(name, start, step, (int)steps + 1);
    }

    /// <summary>
    /// The integers <c>start, start + step, ...</c> up to <paramref name="stop"/> inclusive (like MATLAB's <c>start:step:stop</c>).
    /// </summary>
    /// <param name="name">The axis name.</param>
    /// <param name="start">The first value.</param>
    /// <param name="stop">The last value allowed (inclusive).</param>
    /// <param name="step">The distance between values, 1 by default; negative for a descending axis.</param>
    /// <exception cref="ArgumentException">The name is empty, the step is zero or points away from <paramref name="stop"/>.</exception>
    public static Axis<int> Range(string name, int start, int stop, int step = 1)
    {
        CheckName(name);
        if (step == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Axis '{name}': the step must not be zero.");
        }
        var steps = ((long)stop - start) / step;
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"Axis '{name}': the step {step} leads away from the stop, so the range {start} .. {stop} has zero points. Use a step of the other sign.");
        }
        if (steps + 1 > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Axis '{name}': {start} .. {stop} has {steps + 1:N0} points, more than the {Array.MaxLength:N0} an axis can index.");
        }
        return new IntRangeAxis(name, start, step, (int)steps + 1);
    }

    /// <summary>An axis with exactly the given values, in the given order.</summary>
    /// <typeparam name="T">The value type: a number, string, bool, DateTime, ... (anything a table column can hold).</typeparam>
    /// <param name="name">The axis name.</param>
    /// <param name="values">The values (at least one, each once; NaN or infinite numbers are refused).</param>
    /// <exception cref="ArgumentException">The name is empty, there are no values, a value is null, NaN or infinite, or a value appears twice (a point of the grid could not be looked up by its values, nor its table read back).</exception>
    public static Axis<T> Values<T>(string name, params T[] values)
        where T : notnull => Values(name, (IEnumerable<T>)values);

    /// <inheritdoc cref="Values{T}(string, T[])"/>
    public static Axis<T> Values<T>(string name, IEnumerable<T> values)
        where T : notnull
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(values);
        T[] copy = [.. values];
        if (copy.Length == 0)
        {
            throw new ArgumentException($"Axis '{name}': it needs at least 1 value, got none.", nameof(values));
        }
        for (var i = 0; i < copy.Length; i++)
        {
            var bad = copy[i] switch
            {
                null => "null",
                double d when !double.IsFinite(d) => Format(d),
                float f when !float.IsFinite(f) => Format(f),
                _ => null,
            };
            if (bad is not null)
            {
                throw new ArgumentException($"Axis '{name}': value {i} is {bad}; axis values must be real values (finite numbers, no nulls).", nameof(values));
            }
        }
        CheckDistinct(name, copy, i => $"at positions {i.First} and {i.Second}", nameof(values));
        return new ValuesAxis<T>(name, copy, "values");
    }

    /// <summary>An axis with the numbers in one column of a CSV file (with a header row), in file order.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="column">The header of the column to read.</param>
    /// <param name="name">The axis name; the column header when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The file has no such column, no rows, or a cell that is not a finite number (the message gives the line).</exception>
    public static Axis<double> FromCsv(string path, string column, string? name = null) => FromCsv<double>(path, column, name);

    /// <summary>An axis with the values of one column of a CSV file (with a header row), in file order, parsed as <typeparamref name="T"/> (invariant culture).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <inheritdoc cref="FromCsv(string, string, string?)"/>
    public static Axis<T> FromCsv<T>(string path, string column, string? name = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(column);
        name ??= column;
        CheckName(name);
        var values = new List<T>();
        var (header, rows) = TableFile.ReadCsv(path);
        var at = Array.IndexOf(header, column);
        if (at < 0)
        {
            throw new ArgumentException($"Axis '{name}': the file '{path}' has no column '{column}'; its columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.", nameof(column));
        }
        foreach (var row in rows)
        {
            var text = row[at];
            if (!CellFormat.TryParse(text, out T value) || value is double d && !double.IsFinite(d))
            {
                throw new ArgumentException(
                    $"Axis '{name}': row {values.Count + 1} of '{path}' has '{text}' in column '{column}', which is not a {(typeof(T) == typeof(double) ? "finite number" : typeof(T).Name)}.", nameof(path));
            }
            values.Add(value);
        }
        if (values.Count == 0)
        {
            throw new ArgumentException($"Axis '{name}': the column '{column}' of '{path}' has no values.", nameof(path));
        }
        CheckDistinct(name, values, i => $"in rows {i.First + 1} and {i.Second + 1} of '{path}'", nameof(path));
        return new ValuesAxis<T>(name, [.. values], $"column '{column}' of {Path.GetFileName(path)}");
    }

    /// <summary>Refuses an axis that holds a value twice: looking a point up by its values, and reading a written table back, need each value once.</summary>
    private static void CheckDistinct<T>(string name, IReadOnlyList<T> values, Func<(int First, int Second), string> where, string parameter)
        where T : notnull
    {
        var seen = new Dictionary<T, int>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (!seen.TryAdd(values[i], i))
            {
                throw new ArgumentException(
                    $"Axis '{name}': the value {Format(values[i])} appears twice ({where((seen[values[i]], i))}); each value of an axis must be distinct. Remove the duplicate; to run a point several times, add a repetition axis (Axis.Range(\"rep\", 1, n)).", parameter);
            }
        }
    }
}
