using Parmap.Cli.Native;

namespace Parmap.Cli.Sweep;

/// <summary>Finds the program to run the way a shell does (a name with a '/' as a path, else on PATH), and says clearly when it cannot.</summary>
internal static unsafe class ProgramLocator
{
    private const int X_OK = 1;

    /// <summary>The program's path.</summary>
    /// <exception cref="UsageException">Not found, a directory, or not executable.</exception>
    public static string Resolve(string program)
    {
        if (program.Length == 0)
        {
            throw new UsageException("the program name is empty.");
        }
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return Check(program, program);
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && Executable(candidate))
            {
                return candidate;
            }
        }
        throw new UsageException($"program '{program}' not found on PATH ({path}). Give its path (./{program}) or install it.");
    }

    private static string Check(string program, string path)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"'{program}' is a directory, not a program.");
        }
        if (!File.Exists(path))
        {
            throw new UsageException($"program '{program}' not found (no such file in {Environment.CurrentDirectory}).");
        }
        if (!Executable(path))
        {
            throw new UsageException($"'{program}' is not executable. Make it executable (chmod +x {program}) or run it through its interpreter (for example: python3 {program}).");
        }
        return path;
    }

    private static bool Executable(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            return Posix.access(p, X_OK) == 0;
        }
    }
}
