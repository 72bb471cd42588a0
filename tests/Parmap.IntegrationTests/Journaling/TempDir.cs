using System.Diagnostics;

namespace Parmap.IntegrationTests.Journaling;

/// <summary>A fresh directory for a test's files; optionally a small tmpfs mounted on it (needs root, as on this project's machines and CI).</summary>
internal sealed class TempDir : IDisposable
{
    private bool _mounted;

    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("parmap-it-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "256k") on this directory: a small disk that fills up.</summary>
    public void MountTmpfs(string size)
    {
        Sh($"mount -t tmpfs -o size={size} parmap-test {Path}");
        _mounted = true;
    }

    /// <summary>Remounts the tmpfs with new options ("ro", "rw", "size=64m").</summary>
    public void Remount(string options) => Sh($"mount -o remount,{options} {Path}");

    public void Dispose()
    {
        if (_mounted)
        {
            Sh($"umount -l {Path}");
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Sh(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed ({p.ExitCode}): {error}. These tests mount a small tmpfs and need root (as on this project's machines and CI).");
        }
    }
}
