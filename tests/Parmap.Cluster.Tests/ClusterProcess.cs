using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Parmap.Cluster.Tests;

/// <summary>A process of tests/Parmap.ClusterTestApp (a driver, or a node started by the job directory's node.sh), with its output.</summary>
internal sealed class ClusterProcess : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ClusterProcess(ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string App { get; } = typeof(ClusterProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ClusterTestApp").Value!;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>Starts the app with <paramref name="args"/> (a driver, or with --local a map on this machine's threads).</summary>
    public static ClusterProcess Start(string job, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet");
        foreach (var a in new[] { App, "--job", job }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        return new ClusterProcess(start);
    }

    /// <summary>Starts the driver (the app's map with ClusterOptions on <paramref name="job"/>) and waits until it has written the job directory.</summary>
    public static ClusterProcess Driver(string job, params string[] args)
    {
        var driver = Start(job, args);
        var watch = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(job, "cluster.json")) || !File.Exists(Path.Combine(job, "node.sh")))
        {
            if (driver.HasExited || watch.Elapsed > s_timeout)
            {
                throw new InvalidOperationException($"The driver wrote no cluster.json: {driver.Stderr}");
            }
            Thread.Sleep(20);
        }
        Thread.Sleep(100); // node.sh is written right after cluster.json
        return driver;
    }

    /// <summary>Starts a node with the job directory's node.sh (or another cluster file), logging its items to <paramref name="log"/>.</summary>
    public static ClusterProcess Node(string job, string log, int cores = 1, string? clusterFile = null, double timeoutSeconds = 60, int port = 0, string executor = "threads")
    {
        var start = new ProcessStartInfo("sh");
        start.Environment["PARMAP_NODE_EXECUTOR"] = executor;
        start.Environment["PARMAP_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.ArgumentList.Add(Path.Combine(job, "node.sh"));
        start.Environment["PARMAP_TEST_LOG"] = log;
        start.Environment["PARMAP_NODE_CORES"] = cores.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PARMAP_NODE_TIMEOUT"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new ClusterProcess(start);
        if (clusterFile is not null)
        {
            // node.sh exports PARMAP_CLUSTER itself: run the same command with another cluster file instead.
            process.Dispose();
            var script = File.ReadAllText(Path.Combine(job, "node.sh")).Replace("$(cd \"$(dirname \"$0\")\" && pwd)/cluster.json", clusterFile, StringComparison.Ordinal);
            var other = Path.Combine(Path.GetDirectoryName(clusterFile)!, "node.sh");
            File.WriteAllText(other, script);
            start.ArgumentList[0] = other;
            process = new ClusterProcess(start);
        }
        return process;
    }

    /// <summary>Waits until <paramref name="text"/> is in the standard error.</summary>
    public void WaitForStderr(string text)
    {
        var watch = Stopwatch.StartNew();
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if ((HasExited && !Stderr.Contains(text, StringComparison.Ordinal)) || watch.Elapsed > s_timeout)
            {
                throw new InvalidOperationException($"The process did not write '{text}' (exited: {HasExited}): {Stderr}");
            }
            Thread.Sleep(20);
        }
    }

    public (int ExitCode, string Stdout, string Stderr) WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? s_timeout))
        {
            throw new TimeoutException($"The process {Id} did not exit within {timeout ?? s_timeout}: {Stderr}");
        }
        _process.WaitForExit(); // drains the output
        return (_process.ExitCode, Stdout, Stderr);
    }

    public void Kill() => _process.Kill();

    /// <summary>Sends SIGTERM.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends a signal by name (TERM, STOP, CONT ...).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
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

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (to)
        {
            to.AppendLine(line);
        }
    }

    private static string Read(StringBuilder from)
    {
        lock (from)
        {
            return from.ToString();
        }
    }
}
