using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Parmap.Bench;

/// <summary>
/// <c>cli [--runs N] [--reps R]</c>: the parmap command as a user types it (a fresh parmap process per measurement, its
/// start included), side by side with GNU parallel and xargs -P on the same machine, interleaved, medians:
/// (1) N runs of /bin/true on 2 slots (per-item overhead); (2) a CPU-bound program (a /bin/sh counting loop) on 2 slots
/// against the same items one after the other (efficiency) and against xargs -P2 (what the machine gives 2 programs); (3) the CPU parmap itself uses while it waits on 2 long items.
/// GNU parallel is needed for (1) only (Debian's 'parallel'); it is skipped with a note when missing.
/// </summary>
internal static class CliCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Runs of /bin/true.", DefaultValueFactory = _ => 1000 };
        var reps = new Option<int>("--reps") { Description = "Repetitions (medians are reported).", DefaultValueFactory = _ => 3 };
        var sections = new Option<string>("--sections") { Description = "Which measurements: 1 (per-item overhead), 2 (CPU-bound efficiency), 3 (parmap's CPU while waiting).", DefaultValueFactory = _ => "1,2,3" };
        var sizes = new Option<string>("--cpu-sizes") { Description = "CPU-bound jobs as ITEMSxLOOP (loop iterations of /bin/sh per item).", DefaultValueFactory = _ => "16x400000,32x800000" };
        var command = new Command("cli", "The parmap command against GNU parallel and xargs -P: per-item overhead, CPU-bound efficiency, parmap's own CPU while it waits.") { runs, reps, sections, sizes };
        command.SetAction(parse =>
        {
            var parmap = Parmap();
            var n = parse.GetValue(runs);
            var r = parse.GetValue(reps);
            var only = parse.GetValue(sections)!.Split(',');
            var gnu = Which("parallel");
            var inv = CultureInfo.InvariantCulture;
            var seq = string.Join(' ', Enumerable.Range(1, n));
            var variants = new List<(string Name, string Script)>
            {
                ("parmap run -j2", $"{parmap} run -j 2 --progress none -- /bin/true {{}} ::: {seq} > /dev/null"),
                ("xargs -P2", $"seq {n} | xargs -P2 -n1 /bin/true"),
            };
            if (gnu)
            {
                variants.Add(("GNU parallel -j2", $"parallel -j2 /bin/true ::: {seq}"));
            }
            if (only.Contains("1"))
            {
                Console.WriteLine($"(1) {n:N0} runs of /bin/true on 2 slots, {r} repetitions, medians (wall seconds){(gnu ? "" : "; GNU parallel not installed: skipped")}");
                var times = Measure(variants, r);
                var xargs = times["xargs -P2"];
                foreach (var (name, _) in variants)
                {
                    Console.WriteLine(string.Create(inv, $"  {name,-20} {times[name],7:F2} s  {n / times[name],7:F0} runs/s  {times[name] / xargs,5:F2}x xargs' time"));
                }
                if (gnu)
                {
                    Console.WriteLine(string.Create(inv, $"  parmap throughput / GNU parallel's: {times["GNU parallel -j2"] / times["parmap run -j2"]:F2}x"));
                }
            }

            foreach (var (items, loop) in only.Contains("2") ? parse.GetValue(sizes)!.Split(',').Select(Size) : [])
            {
                var script = $"i=0; while [ $i -lt {loop} ]; do i=$((i+1)); done";
                var cpu = new List<(string, string)>
                {
                    ("serial (xargs -P1)", $"seq {items} | xargs -P1 -I{{}} /bin/sh -c '{script}' {{}}"),
                    ("parmap run -j2", $"{parmap} run -j 2 --progress none -- /bin/sh -c '{script}' {{}} ::: $(seq {items}) > /dev/null"),
                    ("xargs -P2", $"seq {items} | xargs -P2 -I{{}} /bin/sh -c '{script}' {{}}"),
                };
                var c = Measure(cpu, r);
                var serial = c["serial (xargs -P1)"];
                var parallel = c["parmap run -j2"];
                Console.WriteLine(string.Create(inv, $"(2) {items} items of a CPU-bound /bin/sh loop ({serial / items:F2} s each), {r} repetitions, medians"));
                var floor = c["xargs -P2"];
                Console.WriteLine(string.Create(inv, $"  serial {serial:F2} s, parmap -j2 {parallel:F2} s: speedup {serial / parallel:F2}x, efficiency {serial / (2 * parallel):F3} (parmap's start included)"));
                Console.WriteLine(string.Create(inv, $"  xargs -P2 {floor:F2} s: efficiency {serial / (2 * floor):F3}; parmap's time / xargs' {parallel / floor:F3}"));
            }

            if (!only.Contains("3"))
            {
                return 0;
            }
            Console.WriteLine("(3) parmap's own CPU while 2 items of 'sleep 20' run on 2 slots (parmap and its watchdog, user + system)");
            var (user, system, wall) = TimeOf($"{parmap} run -j 2 --progress none -- sleep {{}} ::: 20 20 > /dev/null");
            Console.WriteLine(string.Create(inv, $"  {user + system:F2} s CPU in {wall:F1} s wall: {100 * (user + system) / wall:F2}% of a core (start included)"));
            return 0;
        });
        return command;
    }

    private static (int Items, int Loop) Size(string text)
    {
        var parts = text.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static Dictionary<string, double> Measure(List<(string Name, string Script)> variants, int reps)
    {
        var all = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var rep = 0; rep < reps; rep++)
        {
            foreach (var (name, script) in variants)
            {
                all[name].Add(TimeOf(script).Wall);
            }
        }
        return all.ToDictionary(kv => kv.Key, kv => kv.Value.Order().ElementAt(kv.Value.Count / 2));
    }

    /// <summary>bash's <c>time</c> of a script: user and system CPU of everything it ran, and wall seconds.</summary>
    private static (double User, double System, double Wall) TimeOf(string script)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"TIMEFORMAT='%U %S %R'; time ( {script} )");
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var last = err.TrimEnd().Split('\n')[^1].Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{script[..Math.Min(80, script.Length)]}...' failed: {err}");
        }
        return (last[0], last[1], last[2]);
    }

    private static bool Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));

    private static string Parmap()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var repo = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repo, "src", "Parmap.Cli", "bin", here.Parent.Name, here.Name, "Parmap.Cli");
        return File.Exists(path) ? path : throw new FileNotFoundException($"src/Parmap.Cli is not built at '{path}'.", path);
    }
}
