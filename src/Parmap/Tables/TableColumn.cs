namespace Parmap.Tables;

/// <summary>One column of a table written to CSV or Parquet: a name, a type, and the value of each row computed on demand.</summary>
/// <remarks>Reusable by any feature that exports tables (grid results, journals): build columns, then call <see cref="TableFile"/>.</remarks>
internal abstract class TableColumn(string name)
{
    public string Name { get; } = name;

    public abstract Type ClrType { get; }

    /// <summary>The cell text of <paramref name="row"/> (invariant, round-trip).</summary>
    public abstract string Format(int row);

    /// <summary>The values of rows [start, start + count) as a typed array (what Parquet writes).</summary>
    public abstract Array Slice(int start, int count);
}

/// <summary>A column of <typeparamref name="T"/> values.</summary>
internal sealed class TableColumn<T>(string name, Func<int, T> value) : TableColumn(name)
{
    public override Type ClrType => typeof(T);

    public T Value(int row) => value(row);

    public override string Format(int row) => CellFormat.Format(value(row));

    public override Array Slice(int start, int count)
    {
        var array = new T[count];
        for (var i = 0; i < count; i++)
        {
            array[i] = value(start + i);
        }
        return array;
    }
}
