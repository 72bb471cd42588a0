using System.Text;

namespace Parmap.Running;

/// <summary>The command line of this process, quoted for a POSIX shell: what to run again to resume.</summary>
internal static class CommandLine
{
    public static string Current()
    {
        string[] args;
        try
        {
            var raw = File.ReadAllBytes("/proc/self/cmdline");
            args = Encoding.UTF8.GetString(raw).TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            args = Environment.GetCommandLineArgs();
        }
        return string.Join(" ", args.Select(Quote));
    }

    /// <summary>One argument quoted for a POSIX shell (left as it is when it holds only characters a shell takes literally).</summary>
    public static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
