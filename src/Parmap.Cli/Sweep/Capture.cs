using System.Globalization;
using System.Text.Json;

namespace Parmap.Cli.Sweep;

/// <summary>Reads an item's standard output as --capture asks: a number, a JSON object's fields, or the text.</summary>
internal static class Capture
{
    /// <summary>The captured fields, or the reason the output could not be read.</summary>
    public static (Dictionary<string, string> Fields, string? Error) Read(string stdout, CaptureMode mode)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = stdout.Trim();
        switch (mode)
        {
            case CaptureMode.Number:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    fields["value"] = number.ToString("R", CultureInfo.InvariantCulture);
                    return (fields, null);
                }
                return (fields, $"--capture number: standard output is not one number: '{Shorten(text)}'");
            case CaptureMode.Json:
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return (fields, $"--capture json: standard output is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object: '{Shorten(text)}'");
                    }
                    foreach (var p in doc.RootElement.EnumerateObject())
                    {
                        fields[p.Name] = p.Value.ValueKind switch
                        {
                            JsonValueKind.String => p.Value.GetString()!,
                            JsonValueKind.Null => "",
                            _ => p.Value.GetRawText(),
                        };
                    }
                    return (fields, null);
                }
                catch (JsonException e)
                {
                    return (fields, $"--capture json: standard output is not a JSON object ({e.Message}): '{Shorten(text)}'");
                }
            default:
                fields["stdout"] = stdout.EndsWith('\n') ? stdout[..^1] : stdout;
                return (fields, null);
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
