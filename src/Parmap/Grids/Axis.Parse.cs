using System.Globalization;
using System.Text.RegularExpressions;

namespace Parmap;

// The text form of an axis: the one grammar the library and the `parmap` command share.
public abstract partial class Axis
{
    /// <summary>
    /// Parses an axis written as text: <c>name=linspace(start,stop,count)</c>, <c>name=logspace(start,stop,count)</c>,
    /// <c>name=range(start,stop[,step])</c> (integers when all three are integers) or <c>name=v1,v2,...</c> (numbers when
    /// every value is a number, text otherwise). Each form makes the axis its factory makes, with the same checks.
    /// </summary>
    /// <example><c>Axis.Parse("alpha=linspace(0,1,101)")</c>, <c>Axis.Parse("beta=1,2,5")</c>, <c>Axis.Parse("model=ols,ridge")</c>.</example>
    /// <param name="spec">The axis as text.</param>
    /// <exception cref="FormatException">The text is not one of the forms above; the message says what was wrong and shows the forms.</exception>
    /// <exception cref="ArgumentException">The form is right but its values are not (an empty name, a count below 1, a duplicate value ...).</exception>
    public static Axis Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var equals = spec.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException(ParseError(spec, equals == 0 ? "the name before '=' is empty" : "there is no '=' between the axis name and its values"));
        }
        var name = spec[..equals].Trim();
        var body = spec[(equals + 1)..].Trim();
        var call = Regex.Match(body, @"^(?<f>[A-Za-z]+)\s*\((?<args>.*)\)$", RegexOptions.Singleline);
        if (!call.Success)
        {
            return ParseList(spec, name, body);
        }
        var function = call.Groups["f"].Value.ToLowerInvariant();
        var args = call.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries);
        return function switch
        {
            "linspace" => Linspace(name, Number(spec, args, 0, 3, "start"), Number(spec, args, 1, 3, "stop"), CountArgument(spec, args, 2, 3)),
            "logspace" => Logspace(name, Number(spec, args, 0, 3, "start"), Number(spec, args, 1, 3, "stop"), CountArgument(spec, args, 2, 3)),
            "range" => ParseRange(spec, name, args),
            _ => throw new FormatException(ParseError(spec, $"'{call.Groups["f"].Value}' is not a known function")),
        };
    }

    /// <summary>
    /// <see cref="Parse"/>, with each value as text the way the `parmap` command passes it to programs: a list's values
    /// exactly as typed (<c>1.50</c> stays <c>1.50</c>), computed values in their shortest round-trip form.
    /// </summary>
    internal static (Axis Axis, string[] Texts) ParseWithTexts(string spec)
    {
        var axis = Parse(spec);
        var body = spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
        if (!Regex.IsMatch(body, @"^[A-Za-z]+\s*\(.*\)$", RegexOptions.Singleline))
        {
            return (axis, ListTokens(body));
        }
        var texts = new string[axis.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = axis.GetValue(i) switch
            {
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v.ToString() ?? "",
            };
        }
        return (axis, texts);
    }

    private static string[] ListTokens(string body) => body.Split(',', StringSplitOptions.TrimEntries);

    private static Axis ParseList(string spec, string name, string body)
    {
        if (body.Length == 0)
        {
            throw new FormatException(ParseError(spec, "there are no values after '='"));
        }
        var tokens = ListTokens(body);
        if (tokens.Any(t => t.Length == 0))
        {
            throw new FormatException(ParseError(spec, "a value in the list is empty (two commas in a row, or a comma at an end)"));
        }
        var numbers = new double[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return Values(name, tokens);
            }
        }
        return Values(name, numbers);
    }

    private static Axis ParseRange(string spec, string name, string[] args)
    {
        if (args.Length is not (2 or 3))
        {
            throw new FormatException(ParseError(spec, $"range takes 2 or 3 arguments (start, stop[, step]), got {args.Length}"));
        }
        if (args.All(a => int.TryParse(a, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            var ints = args.Select(a => int.Parse(a, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray();
            return Range(name, ints[0], ints[1], ints.Length == 3 ? ints[2] : 1);
        }
        return Range(name, Number(spec, args, 0, args.Length, "start"), Number(spec, args, 1, args.Length, "stop"),
            args.Length == 3 ? Number(spec, args, 2, 3, "step") : 1);
    }

    private static double Number(string spec, string[] args, int at, int expected, string what)
    {
        if (args.Length != expected)
        {
            throw new FormatException(ParseError(spec, $"it takes {expected} arguments, got {args.Length}"));
        }
        if (!double.TryParse(args[at], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException(ParseError(spec, $"the {what} '{args[at]}' is not a number"));
        }
        return value;
    }

    private static int CountArgument(string spec, string[] args, int at, int expected)
    {
        _ = Number(spec, args, at, expected, "count");
        if (!int.TryParse(args[at], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new FormatException(ParseError(spec, $"the count '{args[at]}' is not a whole number of points"));
        }
        return count;
    }

    private static string ParseError(string spec, string what) =>
        $"Axis spec '{spec}': {what}. Write name=linspace(start,stop,count), name=logspace(start,stop,count), name=range(start,stop[,step]) or name=v1,v2,...";
}
