using System.Text.Json;

using MessagePack;

using Parmap.Journaling;
using Parmap.Tables;

namespace Parmap;

// Exports: every recorded item (done or failed) as a table, written by the same writers as grid results.
public sealed partial class Journal
{
    /// <summary>
    /// Writes every recorded item to a CSV file in input order: <c>index, status, input..., value..., error</c>. For a grid
    /// sweep the input columns are the grid's axes (one column per axis, named after it). Inputs and values that are
    /// objects get one column per property (<c>input.alpha</c>, <c>value.mean</c>); failed items have an error and no value.
    /// Pending items are not in the file.
    /// </summary>
    /// <param name="path">The CSV file to write (replaced when it exists).</param>
    /// <exception cref="InvalidOperationException">Two columns would have the same name (an axis named like a value field).</exception>
    public void ExportCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (columns, rows) = Table();
        TableFile.WriteCsv(path, columns, rows);
    }

    /// <summary>
    /// Writes every recorded item to a Parquet file, with the columns of <see cref="ExportCsv"/>, typed: whole numbers as
    /// int64, other numbers as double, true/false as boolean, the rest as text; a value missing from a row (a failed
    /// item's value) is null. Grid axes keep their value type.
    /// </summary>
    /// <param name="path">The Parquet file to write (replaced when it exists).</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <inheritdoc cref="ExportCsv(string)" path="/exception"/>
    public Task ExportParquetAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (columns, rows) = Table();
        return TableFile.WriteParquetAsync(path, columns, rows, cancellationToken);
    }

    /// <summary>Synchronous twin of <see cref="ExportParquetAsync"/>.</summary>
    /// <param name="path">The Parquet file to write (replaced when it exists).</param>
    public void ExportParquet(string path) => ExportParquetAsync(path).GetAwaiter().GetResult();

    private (List<TableColumn> Columns, int Rows) Table()
    {
        var rows = new List<(long Index, bool Done, ReadOnlyMemory<byte> Input, ReadOnlyMemory<byte>? Value, string Error)>();
        ReadItems((index, input, value) => rows.Add((index, true, input, value, "")));
        foreach (var f in ReadFailures())
        {
            rows.Add((f.Index, false, f.Input, null, $"{f.ErrorType}: {f.Message}"));
        }
        rows.Sort((a, b) => a.Index.CompareTo(b.Index));
        var columns = new List<TableColumn>
        {
            new TableColumn<long>("index", r => rows[r].Index),
            new TableColumn<string>("status", r => rows[r].Done ? "done" : "failed"),
        };
        if (Grid is { } grid)
        {
            for (var a = 0; a < grid.Axes.Count; a++)
            {
                var axis = a;
                columns.Add(grid.Axes[a].ToColumn(r => grid.IndexOn(checked((int)rows[r].Index), axis)));
            }
        }
        else
        {
            columns.AddRange(Flatten("input", [.. rows.Select(r => Cells.Read(r.Input))]));
        }
        columns.AddRange(Flatten("value", [.. rows.Select(r => r.Value is { } v ? Cells.Read(v) : null)]));
        columns.Add(new TableColumn<string>("error", r => rows[r].Error));
        return (columns, rows.Count);
    }

    /// <summary>One column per property when the cells are objects, else one column; typed by what the cells hold.</summary>
    private static IEnumerable<TableColumn> Flatten(string prefix, object?[] cells)
    {
        var properties = new List<string>();
        foreach (var cell in cells)
        {
            if (cell is List<(string Name, object? Value)> fields)
            {
                properties.AddRange(fields.Select(f => f.Name).Where(n => !properties.Contains(n)));
            }
        }
        if (properties.Count == 0)
        {
            yield return Cells.Column(prefix, cells);
            yield break;
        }
        foreach (var property in properties)
        {
            var values = Array.ConvertAll(cells, c => c is List<(string Name, object? Value)> fields ? fields.FirstOrDefault(f => f.Name == property).Value : null);
            yield return Cells.Column($"{prefix}.{property}", values);
        }
    }

    /// <summary>Cells read from stored MessagePack: a scalar (long, double, bool, string or null) or, for an object, its fields.</summary>
    private static class Cells
    {
        public static object? Read(ReadOnlyMemory<byte> bytes)
        {
            var reader = new MessagePackReader(bytes);
            if (reader.NextMessagePackType != MessagePackType.Map)
            {
                return Scalar(ref reader, bytes);
            }
            var count = reader.ReadMapHeader();
            var fields = new List<(string Name, object? Value)>(count);
            for (var k = 0; k < count; k++)
            {
                var name = reader.NextMessagePackType == MessagePackType.String ? reader.ReadString()! : Scalar(ref reader, bytes)?.ToString() ?? "";
                fields.Add((name, Scalar(ref reader, bytes)));
            }
            return fields;
        }

        private static object? Scalar(ref MessagePackReader reader, ReadOnlyMemory<byte> bytes)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Nil:
                    reader.ReadNil();
                    return null;
                case MessagePackType.Boolean:
                    return reader.ReadBoolean();
                case MessagePackType.Float:
                    return reader.ReadDouble();
                case MessagePackType.String:
                    return reader.ReadString();
                case MessagePackType.Integer when reader.NextCode != MessagePackCode.UInt64:
                    return reader.ReadInt64();
                default:
                    // Nested arrays and maps, binary, extensions (dates) and the largest unsigned integers: their JSON text.
                    var start = (int)reader.Consumed;
                    reader.Skip();
                    var text = JournalCodec.ToText(bytes[start..(int)reader.Consumed]);
                    return text.Length > 1 && text[0] == '"' ? JsonSerializer.Deserialize<string>(text) : text;
            }
        }

        /// <summary>A typed column: long, double or bool (nullable when a cell is missing) when every cell is one, else text.</summary>
        public static TableColumn Column(string name, object?[] cells)
        {
            var present = cells.Where(c => c is not null).ToList();
            var nulls = present.Count < cells.Length;
            if (present.Count > 0 && present.All(c => c is long))
            {
                return nulls ? new TableColumn<long?>(name, r => (long?)cells[r]) : new TableColumn<long>(name, r => (long)cells[r]!);
            }
            if (present.Count > 0 && present.All(c => c is long or double))
            {
                return nulls
                    ? new TableColumn<double?>(name, r => cells[r] is { } v ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null)
                    : new TableColumn<double>(name, r => Convert.ToDouble(cells[r], System.Globalization.CultureInfo.InvariantCulture));
            }
            if (present.Count > 0 && present.All(c => c is bool))
            {
                return nulls ? new TableColumn<bool?>(name, r => (bool?)cells[r]) : new TableColumn<bool>(name, r => (bool)cells[r]!);
            }
            return new TableColumn<string>(name, r => cells[r] is { } v ? CellFormat.Format(v) : "");
        }
    }
}
