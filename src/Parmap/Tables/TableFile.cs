using System.Globalization;

using CsvHelper;

using Parquet;
using Parquet.Schema;

namespace Parmap.Tables;

/// <summary>Writes columns to CSV (CsvHelper) and Parquet (Parquet.Net) files, and reads such files back.</summary>
/// <remarks>CSV cells use the invariant culture and round-trip formats (<c>R</c> for floating point, <c>O</c> for dates), so a
/// file read back gives the same bits. Parquet is written in row groups of at most <see cref="RowGroupSize"/> rows, which bounds
/// the memory a write needs.</remarks>
internal static class TableFile
{
    public const int RowGroupSize = 1 << 20;

    public static void WriteCsv(string path, IReadOnlyList<TableColumn> columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckNames(columns);
        using var csv = CsvWriter.ToFile(path, CsvWriterOptions.Default with { NewLine = "\n" });
        csv.WriteHeader([.. columns.Select(c => c.Name)]);
        for (var row = 0; row < rows; row++)
        {
            foreach (var column in columns)
            {
                csv.WriteField(column.Format(row));
            }
            csv.EndRecord();
        }
    }

    public static async Task WriteParquetAsync(string path, IReadOnlyList<TableColumn> columns, int rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckNames(columns);
        var fields = columns.Select(c => new DataField(c.Name, c.ClrType, isNullable: c.ClrType == typeof(string) ? true : null)).ToArray();
        var schema = new ParquetSchema(fields);
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var writerScope = writer.ConfigureAwait(false);
            for (var start = 0; start < rows || (rows == 0 && start == 0); start += RowGroupSize)
            {
                var count = Math.Min(RowGroupSize, rows - start);
                using var group = writer.CreateRowGroup();
                for (var c = 0; c < columns.Count; c++)
                {
                    await ParquetColumns.WriteAsync(group, fields[c], columns[c].Slice(start, count), cancellationToken).ConfigureAwait(false);
                }
                if (rows == 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The header and the rows of a CSV file, rows read lazily.</summary>
    public static (string[] Header, IEnumerable<string[]> Rows) ReadCsv(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var csv = CsvReader.FromFile(path);
        string[] header;
        try
        {
            csv.ReadHeader();
            header = [.. csv.Headers];
        }
        catch
        {
            csv.Dispose();
            throw;
        }
        if (header.Length == 0)
        {
            csv.Dispose();
            throw new InvalidDataException($"The file '{path}' is empty: a table needs a header row.");
        }
        return (header, Rows(csv, header.Length, path));

        static IEnumerable<string[]> Rows(CsvReader csv, int width, string path)
        {
            using (csv)
            {
                while (csv.Read())
                {
                    if (csv.FieldCount != width)
                    {
                        throw new InvalidDataException($"Record {csv.RowNumber} of '{path}' has {csv.FieldCount} fields; the header has {width}.");
                    }
                    var row = new string[width];
                    for (var c = 0; c < width; c++)
                    {
                        row[c] = csv.GetString(c);
                    }
                    yield return row;
                }
            }
        }
    }

    /// <summary>Every column of a Parquet file: names, element types and values (row groups concatenated).</summary>
    public static async Task<(string[] Names, Type[] Types, Array[] Columns)> ReadParquetAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            var fields = reader.Schema.GetDataFields();
            var parts = fields.Select(_ => new List<Array>()).ToArray();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                for (var c = 0; c < fields.Length; c++)
                {
                    parts[c].Add(await ParquetColumns.ReadAsync(group, fields[c], checked((int)group.RowCount), cancellationToken).ConfigureAwait(false));
                }
            }
            var arrays = new Array[fields.Length];
            for (var c = 0; c < fields.Length; c++)
            {
                var type = parts[c].Count > 0 ? parts[c][0].GetType().GetElementType()! : fields[c].ClrType;
                var total = parts[c].Sum(a => a.Length);
                var all = Array.CreateInstance(type, total);
                var at = 0;
                foreach (var part in parts[c])
                {
                    Array.Copy(part, 0, all, at, part.Length);
                    at += part.Length;
                }
                arrays[c] = all;
            }
            return ([.. fields.Select(f => f.Name)], [.. arrays.Select(a => a.GetType().GetElementType()!)], arrays);
        }
    }

    private static void CheckNames(IReadOnlyList<TableColumn> columns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!seen.Add(column.Name))
            {
                throw new InvalidOperationException(
                    $"Two columns are named '{column.Name}' (an axis and a result field, or two axes); rename the axis or the result property so that every column name is unique.");
            }
        }
    }
}
