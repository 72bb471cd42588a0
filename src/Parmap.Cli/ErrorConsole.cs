using Spectre.Console;

namespace Parmap.Cli;

/// <summary>The console parmap talks to the user on: standard error, so that standard output carries only the items' output.</summary>
internal static class ErrorConsole
{
    public static IAnsiConsole Create() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}
