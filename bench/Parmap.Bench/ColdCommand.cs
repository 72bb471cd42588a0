using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Parmap.Bench;

/// <summary>
/// <c>cold [--reps R] [--calls C] [--scenarios w2,mc015,...]</c>: maps the way a user's program calls them. Each
/// measurement is a fresh process of bench/Parmap.UserApp (a plain console app with the runtime's defaults) that calls
/// one scenario C times (serial loop, threads, or worker processes: a fresh <c>Par.Map</c> per call) and prints each
/// call's wall time. Call 1 is the first call of a fresh program (cold workers, nothing compiled); calls 2..C are later
/// calls of the same program. Variants are interleaved within each repetition; medians over the repetitions.
/// </summary>
internal static class ColdCommand
{
    private static readonly string[] s_all = ["w2", "w4mc", "w3grid", "ode", "mc015", "mc20", "h15", "trivial"];
    private static readonly string[] s_variants = ["serial", "threads", "processes"];

    public static Command Create()
    {
        var reps = new Option<int>("--reps") { Description = "Fresh programs per scenario and variant; medians are reported.", DefaultValueFactory = _ => 3 };
        var calls = new Option<int>("--calls") { Description = "Calls per program (call 1 is cold).", DefaultValueFactory = _ => 3 };
        var scenarios = new Option<string>("--scenarios") { Description = "Comma-separated scenarios: " + string.Join(",", s_all), DefaultValueFactory = _ => string.Join(",", s_all) };
        var command = new Command("cold", "Maps as a user's program calls them: fresh processes, a fresh Par.Map per call, first and later calls.") { reps, calls, scenarios };
        command.SetAction(parse =>
        {
            var app = UserApp();
            var n = parse.GetValue(reps);
            var c = parse.GetValue(calls);
            var results = new Dictionary<(string Scenario, string Variant, int Call), List<double>>();
            var reports = new Dictionary<(string, string, int), string?>();
            foreach (var scenario in parse.GetValue(scenarios)!.Split(','))
            {
                for (var rep = 0; rep < n; rep++)
                {
                    foreach (var variant in s_variants)
                    {
                        foreach (var line in Run(app, scenario, variant, c))
                        {
                            var key = (scenario, variant, line.Call);
                            if (!results.TryGetValue(key, out var list))
                            {
                                results[key] = list = [];
                            }
                            list.Add(line.Wall);
                            reports[key] = line.Report;
                        }
                        Console.Error.WriteLine($"{scenario} rep {rep + 1}/{n} {variant} done");
                    }
                }
                foreach (var variant in s_variants)
                {
                    for (var call = 1; call <= c; call++)
                    {
                        var wall = Median(results[(scenario, variant, call)]);
                        var serial = Median(results[(scenario, "serial", call)]);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{{\"bench\":\"cold\",\"scenario\":\"{scenario}\",\"variant\":\"{variant}\",\"call\":{call},\"reps\":{n},\"wall_s\":{wall:F4},\"speedup_vs_serial\":{serial / wall:F2},\"report\":{JsonSerializer.Serialize(reports[(scenario, variant, call)])}}}"));
                    }
                }
            }
        });
        return command;
    }

    private static List<(int Call, double Wall, string? Report)> Run(string app, string scenario, string variant, int calls)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { app, scenario, variant, calls.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Parmap.UserApp {scenario} {variant} exited with {process.ExitCode}: {output}");
        }
        var lines = new List<(int, double, string?)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            lines.Add((root.GetProperty("call").GetInt32(), root.GetProperty("wall_s").GetDouble(),
                root.GetProperty("report").ValueKind == JsonValueKind.String ? root.GetProperty("report").GetString() : null));
        }
        return lines;
    }

    /// <summary>bench/Parmap.UserApp's dll, built beside this bench (same configuration).</summary>
    private static string UserApp()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var bench = here.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(bench, "Parmap.UserApp", "bin", here.Parent.Name, here.Name, "Parmap.UserApp.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"bench/Parmap.UserApp is not built at '{path}'.", path);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
