using Parmap.Tables;

namespace Parmap.Cli.Inputs;

/// <summary>
/// Reads a sweep's inputs: <c>--grid</c> axes (the library's grammar, <see cref="Axis.Parse"/>) and <c>@file.csv</c>
/// tables, and the GNU parallel forms at the end of the command: <c>::: a b c</c> (values), <c>:::: file</c> (one value
/// per line; <c>-</c> is standard input), each followed by <c>+</c> (<c>:::+</c>) to pair with the group before instead
/// of combining. Several inputs make every combination; <c>--zip</c> pairs them all.
/// </summary>
internal static class InputSpecs
{
    private static readonly string[] s_markers = [":::", "::::", ":::+", "::::+"];

    /// <summary>Splits the tokens after <c>--</c> into the command template and the inputs, and combines all inputs.</summary>
    /// <exception cref="UsageException">A malformed spec, an unreadable file, repeated names, unequal lengths for --zip.</exception>
    public static (InputTable Inputs, string[] Command) Read(IReadOnlyList<string> grids, bool zip, IReadOnlyList<string> tokens, Func<TextReader> stdin)
    {
        var factors = grids.Select(Grid).ToList();
        var first = tokens.ToList().FindIndex(t => s_markers.Contains(t));
        var command = first < 0 ? tokens.ToArray() : tokens.Take(first).ToArray();
        var position = 0;
        for (var i = first; i >= 0 && i < tokens.Count;)
        {
            var marker = tokens[i];
            var end = i + 1;
            while (end < tokens.Count && !s_markers.Contains(tokens[end]))
            {
                end++;
            }
            var values = tokens.Skip(i + 1).Take(end - i - 1).ToArray();
            var name = (++position).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var group = marker.StartsWith("::::", StringComparison.Ordinal) ? Lines(name, values, stdin) : Values(name, marker, values);
            if (marker.EndsWith('+'))
            {
                if (factors.Count == 0)
                {
                    throw new UsageException($"'{marker}' pairs its values with the input group before it, but there is none. Use '{marker.TrimEnd('+')}' for the first group.");
                }
                factors[^1] = InputTable.Combine([factors[^1], group], zip: true);
            }
            else
            {
                factors.Add(group);
            }
            i = end;
        }
        return (InputTable.Combine(factors, zip), command);
    }

    /// <summary>One <c>--grid</c> spec: an axis, or <c>@file.csv</c> (rows are items, the header names the columns).</summary>
    public static InputTable Grid(string spec)
    {
        if (spec.StartsWith('@'))
        {
            return Csv(spec[1..]);
        }
        try
        {
            var (axis, texts) = Axis.ParseWithTexts(spec);
            return new InputTable([axis.Name], [.. texts.Select(t => new[] { t })]);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--grid {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--grid {UsageException.OneLine(e)}");
        }
    }

    private static InputTable Csv(string path)
    {
        try
        {
            var (header, rows) = TableFile.ReadCsv(path);
            var list = rows.ToList();
            if (header.Length == 0 || header.Any(string.IsNullOrWhiteSpace))
            {
                throw new UsageException($"--grid @{path}: the first line must name every column (a header row such as 'alpha,beta').");
            }
            if (list.Count == 0)
            {
                throw new UsageException($"--grid @{path}: the file has a header but no rows; each row is one item.");
            }
            return new InputTable(header, list);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--grid @{path}: cannot read the file ({e.Message}).");
        }
        catch (Exception e) when (e is not UsageException)
        {
            throw new UsageException($"--grid @{path}: not a readable CSV table ({e.Message}).");
        }
    }

    private static InputTable Values(string name, string marker, string[] values)
    {
        if (values.Length == 0)
        {
            throw new UsageException($"'{marker}' must be followed by at least one value (parmap run -- echo {{}} ::: a b c).");
        }
        return new InputTable([name], [.. values.Select(v => new[] { v })]);
    }

    private static InputTable Lines(string name, string[] files, Func<TextReader> stdin)
    {
        if (files.Length == 0)
        {
            throw new UsageException("'::::' must be followed by a file of input lines, or '-' for standard input.");
        }
        var rows = new List<string[]>();
        foreach (var file in files)
        {
            try
            {
                using var reader = file == "-" ? stdin() : new StreamReader(file);
                while (reader.ReadLine() is { } line)
                {
                    rows.Add([line]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($":::: {file}: cannot read the file ({e.Message}).");
            }
        }
        if (rows.Count == 0)
        {
            throw new UsageException($":::: {string.Join(' ', files)}: no input lines, so there is nothing to run.");
        }
        return new InputTable([name], rows);
    }
}
