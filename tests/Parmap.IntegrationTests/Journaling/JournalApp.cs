using System.Diagnostics;

namespace Parmap.IntegrationTests.Journaling;

/// <summary>Runs tests/Parmap.JournalTestApp (a journaled map) as a child process, and sends it signals.</summary>
internal sealed class JournalApp : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly System.Text.StringBuilder _stderrSoFar = new();

    private JournalApp(Process process, string? log)
    {
        _process = process;
        Log = log;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = ReadStderrAsync(process.StandardError);
    }

    public string? Log { get; }

    public int Id => _process.Id;

    /// <summary>The test app's dll, built next to this project's output (same configuration).</summary>
    public static string AppPath { get; } = FindApp();

    public static JournalApp Start(string journal, int count, string? log, params string[] more)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AppPath);
        foreach (var a in new[] { "--journal", journal, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(log is null ? [] : ["--log", log]).Concat(more))
        {
            start.ArgumentList.Add(a);
        }
        return new JournalApp(Process.Start(start)!, log);
    }

    /// <summary>Runs the app to its end.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string journal, int count, string? log, params string[] more)
    {
        using var app = Start(journal, count, log, more);
        return app.WaitForExit();
    }

    /// <summary>True once the app's process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the app has logged at least <paramref name="lines"/> computed items.</summary>
    public void WaitForLog(int lines)
    {
        var watch = Stopwatch.StartNew();
        while (LoggedCount() < lines)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited (code {_process.ExitCode}) before logging {lines} items: {_stderr.Result}");
            }
            if (watch.Elapsed > s_timeout)
            {
                throw new TimeoutException($"The app did not log {lines} items within {s_timeout}.");
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>Waits until the app has written <paramref name="text"/> to its standard error (an acknowledgement).</summary>
    public void WaitForStderr(string text)
    {
        var watch = Stopwatch.StartNew();
        while (!StderrSoFar().Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && _stderr.IsCompleted)
            {
                throw new InvalidOperationException($"The app exited (code {_process.ExitCode}) without writing '{text}': {_stderr.Result}");
            }
            if (watch.Elapsed > s_timeout)
            {
                throw new TimeoutException($"The app did not write '{text}' within {s_timeout}.");
            }
            Thread.Sleep(10);
        }
    }

    public int LoggedCount() => Logged().Count;

    public List<int> Logged() => [.. LoggedWithTimes().Select(l => l.Item)];

    /// <summary>The computed items with the time each finished (Stopwatch timestamps; 0 without <c>--log-times</c>).</summary>
    public List<(int Item, long Finished)> LoggedWithTimes() => Log is not null && File.Exists(Log)
        ? [.. File.ReadAllLines(Log).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p.Length > 1 ? long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture) : 0L))]
        : [];

    public void Signal(int signal)
    {
        if (signal != SigKill)
        {
            Procs.RequireNotIgnored(_process.Id, signal);
        }
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed ({kill.ExitCode}).");
        }
    }

    public (int ExitCode, string Stdout, string Stderr) WaitForExit()
    {
        if (!_process.WaitForExit(s_timeout))
        {
            _process.Kill();
            throw new TimeoutException($"The app did not exit within {s_timeout}.");
        }
        return (_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private string StderrSoFar()
    {
        lock (_stderrSoFar)
        {
            return _stderrSoFar.ToString();
        }
    }

    private async Task<string> ReadStderrAsync(StreamReader stderr)
    {
        while (await stderr.ReadLineAsync() is { } line)
        {
            lock (_stderrSoFar)
            {
                _stderrSoFar.AppendLine(line);
            }
        }
        return StderrSoFar();
    }

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string FindApp()
    {
        // .../tests/Parmap.IntegrationTests/bin/<Configuration>/<tfm>/ -> .../tests/Parmap.JournalTestApp/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Parmap.JournalTestApp", "bin", configuration, tfm, "Parmap.JournalTestApp.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The journal test app is not built at '{path}'.", path);
    }
}
