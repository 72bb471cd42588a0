using System.Diagnostics;

namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>
/// No worker outlives its owner. The owner here is a separate app (tests/Parmap.TestApp) started by the test, so
/// that it can be killed: its workers must be gone within a second, busy or idle.
/// </summary>
public class OrphanTests
{
    private static readonly TimeSpan s_gone = TimeSpan.FromSeconds(1);

    [Fact]
    public void KillOwner_Sigkill_TwentyTimes_NoWorkerSurvives()
    {
        for (var round = 0; round < 20; round++)
        {
            // Alternate apphost / `dotnet app.dll`, and busy / idle workers.
            var viaDotnet = round % 2 == 1;
            var mode = round % 4 < 2 ? "busy" : "idle";
            using var owner = TestApp.Start(viaDotnet, mode, "2");
            var workers = owner.ReadWorkerPids();
            Assert.Equal(2, workers.Count);
            Assert.All(workers, pid => Assert.True(Procs.IsAlive(pid)));

            Procs.Signal(owner.Pid, Procs.SigKill);

            Assert.True(Procs.WaitUntil(() => workers.All(pid => !Procs.IsAlive(pid)), s_gone),
                $"round {round} ({mode}, {(viaDotnet ? "dotnet app.dll" : "apphost")}): workers {string.Join(", ", workers.Where(Procs.IsAlive))} outlived the owner");
        }
    }

    [Theory]
    [InlineData("busy", Procs.SigTerm)]
    [InlineData("idle", Procs.SigTerm)]
    [InlineData("busy", Procs.SigInt)]
    public void SignalOwner_TermOrInterrupt_NoWorkerSurvives(string mode, int signal)
    {
        using var owner = TestApp.Start(viaDotnet: false, mode, "2");
        var workers = owner.ReadWorkerPids();

        Procs.RequireNotIgnored(owner.Pid, signal);
        Procs.Signal(owner.Pid, signal);

        Assert.True(owner.Process.WaitForExit(5000), $"the owner did not exit on signal {signal}");
        Assert.True(Procs.WaitUntil(() => workers.All(pid => !Procs.IsAlive(pid)), s_gone));
    }

    [Fact]
    public void Owner_AppReplacedOnDiskBeforeWorkersStart_WorkersRefuseAsDifferentBuild()
    {
        // Given a copy of the test app, started and waiting before its first map
        var dir = Directory.CreateTempSubdirectory("parmap-stale-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(Procs.TestAppDirectory))
            {
                File.Copy(file, Path.Combine(dir.FullName, Path.GetFileName(file)));
            }
            using var owner = TestApp.Start(viaDotnet: true, "wait", "2", dir.FullName);
            Assert.Equal("WAITING", owner.ReadLine());

            // When its dll is replaced by another build (same code, new module version id) and the map starts
            var dll = Path.Combine(dir.FullName, "Parmap.TestApp.dll");
            var bytes = File.ReadAllBytes(dll);
            var mvid = ReadMvid(dll);
            var at = bytes.AsSpan().IndexOf(mvid.ToByteArray());
            Assert.True(at >= 0);
            bytes[at] ^= 0xFF;
            File.WriteAllBytes(dll + ".new", bytes);
            File.Move(dll + ".new", dll, overwrite: true);
            owner.WriteLine("go");

            // Then the workers refuse to run, and the owner says why
            var answer = owner.ReadLine();
            Assert.StartsWith("ERROR", answer, StringComparison.Ordinal);
            Assert.Contains("different build", answer, StringComparison.Ordinal);
            Assert.True(owner.Process.WaitForExit(10_000));
            Assert.Equal(3, owner.Process.ExitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Guid ReadMvid(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    /// <summary>A running test app: its pid, stdout lines, stdin.</summary>
    private sealed class TestApp : IDisposable
    {
        private TestApp(Process process)
        {
            Process = process;
        }

        public Process Process { get; }

        public int Pid => Process.Id;

        public static TestApp Start(bool viaDotnet, string mode, string workers, string? directory = null)
        {
            directory ??= Procs.TestAppDirectory;
            var info = viaDotnet
                ? new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(directory, "Parmap.TestApp.dll") } }
                : new ProcessStartInfo(Path.Combine(directory, "Parmap.TestApp"));
            info.ArgumentList.Add(mode);
            info.ArgumentList.Add(workers);
            info.RedirectStandardInput = true;
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = false;
            info.UseShellExecute = false;
            return new TestApp(Process.Start(info)!);
        }

        public string ReadLine()
        {
            var line = Process.StandardOutput.ReadLineAsync();
            Assert.True(line.Wait(TimeSpan.FromSeconds(60)), "the test app said nothing for 60 s");
            return line.Result ?? "<end of output>";
        }

        public void WriteLine(string text)
        {
            Process.StandardInput.WriteLine(text);
            Process.StandardInput.Flush();
        }

        /// <summary>Reads "PID n" lines up to "READY".</summary>
        public List<int> ReadWorkerPids()
        {
            var pids = new List<int>();
            while (ReadLine() is var line && line != "READY")
            {
                Assert.StartsWith("PID ", line, StringComparison.Ordinal);
                pids.Add(int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
            }
            return pids;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
            Process.Dispose();
        }
    }
}
