using System.Reflection;

using Parquet;
using Parquet.Schema;

namespace Parmap.Tables;

/// <summary>Typed column reads and writes over Parquet.Net's generic API (which constrains value types to <c>struct</c>); nullable values (journal exports) are written with nulls.</summary>
internal static class ParquetColumns
{
    public static async Task WriteAsync(ParquetRowGroupWriter group, DataField field, Array values, CancellationToken cancellationToken)
    {
        if (values is string[] strings)
        {
            await group.WriteAsync(field, strings, null).ConfigureAwait(false);
            return;
        }
        var element = values.GetType().GetElementType()!;
        if (Nullable.GetUnderlyingType(element) is { } underlying)
        {
            var writeNullable = Method(nameof(WriteNullableAsync), underlying);
            await ((Task)writeNullable.Invoke(null, [group, field, values, cancellationToken])!).ConfigureAwait(false);
            return;
        }
        var write = Method(nameof(WriteStructAsync), element);
        await ((Task)write.Invoke(null, [group, field, values, cancellationToken])!).ConfigureAwait(false);
    }

    public static async Task<Array> ReadAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        // Parquet.Net 6 reports text columns as ReadOnlyMemory<char>; read them as strings.
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return Array.ConvertAll(strings, s => s ?? "");
        }
        if (field.IsNullable)
        {
            var readNullable = Method(nameof(ReadNullableAsync), field.ClrType);
            return await ((Task<Array>)readNullable.Invoke(null, [group, field, rows, cancellationToken])!).ConfigureAwait(false);
        }
        var read = Method(nameof(ReadStructAsync), field.ClrType);
        return await ((Task<Array>)read.Invoke(null, [group, field, rows, cancellationToken])!).ConfigureAwait(false);
    }

    private static MethodInfo Method(string name, Type type) =>
        typeof(ParquetColumns).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);

    private static async Task WriteStructAsync<T>(ParquetRowGroupWriter group, DataField field, T[] values, CancellationToken cancellationToken)
        where T : struct =>
        await group.WriteAsync(field, (ReadOnlyMemory<T>)values, null, null, cancellationToken).ConfigureAwait(false);

    private static async Task WriteNullableAsync<T>(ParquetRowGroupWriter group, DataField field, T?[] values, CancellationToken cancellationToken)
        where T : struct =>
        await group.WriteAsync(field, (ReadOnlyMemory<T?>)values, null, null, cancellationToken).ConfigureAwait(false);

    private static async Task<Array> ReadNullableAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    private static async Task<Array> ReadStructAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[rows];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }
}
