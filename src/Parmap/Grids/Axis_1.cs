using System.Collections;
using System.Globalization;

using Parmap.Tables;

namespace Parmap;

/// <summary>A named axis whose values are of type <typeparamref name="T"/>; see <see cref="Axis"/> for the factories.</summary>
/// <typeparam name="T">The value type.</typeparam>
public abstract class Axis<T> : Axis, IReadOnlyList<T>
    where T : notnull
{
    private Dictionary<T, int>? _positions;

    private protected Axis(string name, int count)
        : base(name, count)
    {
    }

    /// <summary>The value at <paramref name="index"/>.</summary>
    /// <param name="index">Position on the axis, from 0 to <see cref="Axis.Count"/> - 1.</param>
    public abstract T this[int index] { get; }

    /// <inheritdoc/>
    public override Type ValueType => typeof(T);

    /// <summary>The position of <paramref name="value"/> on the axis (its first occurrence), or -1 when the axis has no such value.</summary>
    /// <param name="value">The value to find, compared exactly.</param>
    public virtual int IndexOf(T value)
    {
        var positions = Volatile.Read(ref _positions);
        if (positions is null)
        {
            // Built on the first lookup only: an axis that is never searched costs no memory.
            positions = [];
            for (var i = Count - 1; i >= 0; i--)
            {
                positions[this[i]] = i;
            }
            Volatile.Write(ref _positions, positions);
        }
        return positions.TryGetValue(value, out var at) ? at : -1;
    }

    /// <inheritdoc/>
    public override object GetValue(int index) => this[index]!;

    /// <inheritdoc/>
    public override int IndexOfValue(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is T typed)
        {
            return IndexOf(typed);
        }
        if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(typeof(T)))
        {
            try
            {
                return IndexOf((T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
            {
                return -1;
            }
        }
        return -1;
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal override TableColumn ToColumn(Func<int, int> rowToIndex) => new TableColumn<T>(Name, row => this[rowToIndex(row)]);

    private protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Axis '{Name}' has {Count} values (indices 0 to {Count - 1}).");
        }
    }
}
