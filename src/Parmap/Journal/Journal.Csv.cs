using System.Globalization;
using System.Text.Json;

using CsvHelper;

namespace Parmap;

// CSV export. Inputs and results that are objects (records, grid points) become one column per property, so a grid's
// axes come out as columns. The grid branch's result writers (CSV/Parquet with grid axes) should replace this once merged.
public sealed partial class Journal
{
    /// <summary>
    /// Writes every recorded item to a CSV file in input order: <c>index, status, input..., value..., error</c>. Inputs and
    /// values that are objects get one column per property (<c>input.alpha</c>, <c>value.mean</c>); failed items have an error and no value.
    /// </summary>
    /// <param name="path">The CSV file to write (replaced when it exists).</param>
    public void ExportCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var items = Items();
        var rows = items.Select(i => (i.Index, Status: "done", Input: Parse(i.Input), Value: Parse(i.Value), Error: ""))
            .Concat(Failures.Select(f => (f.Index, Status: "failed", Input: Parse(f.Input), Value: Parse("null"), Error: $"{f.ErrorType}: {f.Message}")))
            .OrderBy(r => r.Index)
            .ToList();
        var inputColumns = Columns(rows.Select(r => r.Input), "input");
        var valueColumns = Columns(rows.Select(r => r.Value), "value");
        using var csv = CsvWriter.ToFile(path, CsvWriterOptions.Default with { NewLine = "\n" });
        csv.WriteHeader(["index", "status", .. inputColumns.Select(c => c.Header), .. valueColumns.Select(c => c.Header), "error"]);
        foreach (var row in rows)
        {
            csv.WriteField(row.Index.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(row.Status);
            foreach (var c in inputColumns)
            {
                csv.WriteField(Cell(row.Input, c.Property));
            }
            foreach (var c in valueColumns)
            {
                csv.WriteField(Cell(row.Value, c.Property));
            }
            csv.WriteField(row.Error);
            csv.EndRecord();
        }
    }

    private static JsonElement Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var doc = JsonDocument.Parse(JsonSerializer.Serialize(json));
            return doc.RootElement.Clone();
        }
    }

    /// <summary>One column per property when the values are objects, else one column.</summary>
    private static List<(string Header, string? Property)> Columns(IEnumerable<JsonElement> values, string prefix)
    {
        var properties = new List<string>();
        var objects = false;
        foreach (var v in values)
        {
            if (v.ValueKind == JsonValueKind.Object)
            {
                objects = true;
                foreach (var p in v.EnumerateObject())
                {
                    if (!properties.Contains(p.Name))
                    {
                        properties.Add(p.Name);
                    }
                }
            }
        }
        return objects ? [.. properties.Select(p => ($"{prefix}.{p}", (string?)p))] : [(prefix, null)];
    }

    private static string Cell(JsonElement value, string? property)
    {
        if (property is not null)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(property, out var inner))
            {
                return "";
            }
            value = inner;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => value.GetRawText(),
        };
    }
}
