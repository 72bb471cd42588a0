using System.Globalization;
using System.Text.RegularExpressions;

namespace Parmap.Cli.Inputs;

/// <summary>
/// The program's argv with placeholders: <c>{name}</c> (an input's value), <c>{#}</c> (the item number, from 1) and
/// <c>{}</c> (the only input). Each argv element is filled on its own, so a value reaches the program as one exact
/// argument whatever it holds (spaces, quotes, <c>;</c>, <c>$()</c>, newlines ...). With no placeholder at all, the item's
/// values are appended as arguments (as GNU parallel does). With <c>--shell</c> the filled line runs under
/// <c>/bin/sh -c</c>, each value single-quoted so that it still arrives exactly.
/// </summary>
internal sealed partial class CommandTemplate
{
    private readonly string[] _argv;
    private readonly (string Name, string Template)[] _env;
    private readonly string[] _names;
    private readonly bool _shell;
    private readonly bool _append;
    private readonly string[] _baseEnvironment;

    private CommandTemplate(string[] argv, (string, string)[] env, string[] names, bool shell, bool append)
    {
        _argv = argv;
        _env = env;
        _names = names;
        _shell = shell;
        _append = append;
        var overridden = env.Select(e => e.Item1).ToHashSet(StringComparer.Ordinal);
        _baseEnvironment = [.. System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => !overridden.Contains((string)e.Key))
            .Select(e => $"{e.Key}={e.Value}")];
    }

    /// <summary>The program as typed (the first element), for messages and lookup.</summary>
    public string Program => _argv[0];

    /// <summary>Whether the program name itself holds a placeholder (then it is looked up per item).</summary>
    public bool ProgramVaries => Placeholder().IsMatch(_argv[0]);

    /// <summary>Checks every placeholder against the input names.</summary>
    /// <exception cref="UsageException">No command, an unknown placeholder, <c>{}</c> with other than one input, a malformed --env.</exception>
    public static CommandTemplate Create(string[] command, IReadOnlyList<string> env, string[] names, bool shell)
    {
        if (command.Length == 0)
        {
            throw new UsageException("no program to run. Put it after '--': parmap run --grid 'x=1,2,3' -- ./model --x {x}");
        }
        var environment = env.Select(e =>
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            return eq > 0 && !e[..eq].Contains(' ', StringComparison.Ordinal)
                ? (e[..eq], e[(eq + 1)..])
                : throw new UsageException($"--env '{e}' is not NAME=value (for example --env OMP_NUM_THREADS=1 or --env ALPHA={{alpha}}).");
        }).ToArray();
        var used = false;
        foreach (var text in command.Concat(environment.Select(e => e.Item2)))
        {
            foreach (Match m in Placeholder().Matches(text))
            {
                used = true;
                var name = m.Groups[1].Value;
                if (name == "#" || names.Contains(name, StringComparer.Ordinal))
                {
                    continue;
                }
                if (name.Length == 0)
                {
                    if (names.Length == 1)
                    {
                        continue;
                    }
                    throw new UsageException(names.Length == 0
                        ? "'{}' stands for the item's input, but there are no inputs. Add --grid, '::: values' or ':::: file'."
                        : $"'{{}}' stands for the only input, but there are {names.Length}: use their names, {string.Join(", ", names.Select(n => $"{{{n}}}"))}.");
                }
                throw new UsageException($"unknown placeholder '{{{name}}}' in '{text}'. The inputs are {(names.Length == 0 ? "none" : string.Join(", ", names.Select(n => $"{{{n}}}")))}, plus {{#}} for the item number.");
            }
        }
        return new CommandTemplate(command, environment, names, shell, append: !used && names.Length > 0);
    }

    /// <summary>The argv for one item (argv[0] is the program, or /bin/sh with --shell).</summary>
    public string[] Argv(long number, string[] values)
    {
        var argv = _argv.Select(a => Fill(a, number, values, quote: _shell)).ToList();
        if (_append)
        {
            argv.AddRange(_shell ? values.Select(Quote) : values);
        }
        return _shell ? ["/bin/sh", "-c", string.Join(' ', argv)] : [.. argv];
    }

    /// <summary>This process's environment with the item's --env variables set.</summary>
    public string[] Environment(long number, string[] values) =>
        _env.Length == 0 ? _baseEnvironment : [.. _baseEnvironment, .. _env.Select(e => $"{e.Name}={Fill(e.Template, number, values, quote: false)}")];

    private string Fill(string template, long number, string[] values, bool quote) =>
        Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            var value = name == "#" ? number.ToString(CultureInfo.InvariantCulture)
                : name.Length == 0 ? values[0]
                : values[Array.IndexOf(_names, name)];
            return quote ? Quote(value) : value;
        });

    private static string Quote(string value) => Parmap.Running.CommandLine.Quote(value);

    [GeneratedRegex(@"\{(#|[A-Za-z_][A-Za-z0-9_.\-]*|[0-9]+|)\}")]
    private static partial Regex Placeholder();
}
