using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Parmap.Cli.Tests;

/// <summary>Runs the built parmap command as a real process, in a fresh temporary directory, with its output.</summary>
internal sealed class Cli : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    public Cli() => Directory.CreateDirectory(Dir);

    public static string Parmap { get; } = Metadata("Parmap");

    public static string Child { get; } = Metadata("Child");

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "parmap-cli-" + Guid.NewGuid().ToString("N")[..12]);

    public string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>Starts <c>parmap ARGS</c> in <see cref="Dir"/> (standard input is /dev/null unless <paramref name="stdin"/> is given).</summary>
    public Process Start(IEnumerable<string> args, string? stdin = null, StringBuilder? stdout = null, StringBuilder? stderr = null)
    {
        var start = new ProcessStartInfo(Parmap)
        {
            WorkingDirectory = Dir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = start };
        var o = stdout ?? new StringBuilder();
        var e = stderr ?? new StringBuilder();
        process.OutputDataReceived += (_, d) => Append(o, d.Data);
        process.ErrorDataReceived += (_, d) => Append(e, d.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs <c>parmap ARGS</c> to its end.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public async Task<(int Code, string Stdout, string Stderr)> RunWithInputAsync(string? stdin, params string[] args)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = Start(args, stdin, stdout, stderr);
        using var timeout = new CancellationTokenSource(s_timeout);
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return (process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }

    /// <summary>The lines of a log the child program appends to (it locks the file while it writes: retried), none if it is missing.</summary>
    public static string[] ReadLog(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllLines(path) : [];
            }
            catch (IOException) when (attempt < 1000)
            {
                Thread.Sleep(2);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Append(StringBuilder into, string? line)
    {
        if (line is not null)
        {
            lock (into)
            {
                into.Append(line).Append('\n');
            }
        }
    }

    private static string Metadata(string key) =>
        typeof(Cli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
