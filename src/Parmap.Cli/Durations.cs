using System.Globalization;
using System.Text.RegularExpressions;

namespace Parmap.Cli;

/// <summary>Durations on the command line: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1.5h</c>, <c>1d</c>, or a plain number of seconds.</summary>
internal static partial class Durations
{
    /// <exception cref="UsageException">Not a positive duration.</exception>
    public static TimeSpan Parse(string option, string text)
    {
        var m = Form().Match(text.Trim());
        if (m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && double.IsFinite(n))
        {
            var seconds = m.Groups[2].Value switch
            {
                "ms" => n / 1000,
                "m" => n * 60,
                "h" => n * 3600,
                "d" => n * 86400,
                _ => n,
            };
            return TimeSpan.FromSeconds(seconds);
        }
        throw new UsageException($"{option} '{text}' is not a positive duration. Write it as 500ms, 30s, 2m, 1.5h or 1d (a plain number is seconds).");
    }

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(ms|s|m|h|d)?$")]
    private static partial Regex Form();
}
