using System.Globalization;

namespace Parmap.Tables;

/// <summary>How table cells are written as text and read back: invariant culture, round-trip formats, so a CSV file reproduces every bit.</summary>
internal static class CellFormat
{
    /// <summary>Types a table column can hold.</summary>
    public static readonly IReadOnlySet<Type> Supported = new HashSet<Type>
    {
        typeof(bool), typeof(byte), typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal),
        typeof(string), typeof(DateTime),
    };

    public static string SupportedList => "bool, byte, short, int, long, float, double, decimal, string, DateTime";

    public static string Format<T>(T value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static bool TryParse<T>(string text, out T value)
    {
        var ok = TryParse(typeof(T), text, out var boxed);
        value = ok ? (T)boxed! : default!;
        return ok;
    }

    public static bool TryParse(Type type, string text, out object? value)
    {
        var inv = CultureInfo.InvariantCulture;
        const NumberStyles Float = NumberStyles.Float;
        const NumberStyles Int = NumberStyles.Integer;
        (var ok, value) = type switch
        {
            _ when type == typeof(string) => (true, text),
            _ when type == typeof(double) => (double.TryParse(text, Float, inv, out var d), (object)d),
            _ when type == typeof(float) => (float.TryParse(text, Float, inv, out var f), f),
            _ when type == typeof(int) => (int.TryParse(text, Int, inv, out var i), i),
            _ when type == typeof(long) => (long.TryParse(text, Int, inv, out var l), l),
            _ when type == typeof(short) => (short.TryParse(text, Int, inv, out var s), s),
            _ when type == typeof(byte) => (byte.TryParse(text, Int, inv, out var b), b),
            _ when type == typeof(decimal) => (decimal.TryParse(text, Float, inv, out var m), m),
            _ when type == typeof(bool) => (bool.TryParse(text, out var t), t),
            _ when type == typeof(DateTime) => (DateTime.TryParse(text, inv, DateTimeStyles.RoundtripKind, out var dt), dt),
            _ => (false, null),
        };
        return ok;
    }
}
