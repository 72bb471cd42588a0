using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;

using Parmap.Cli.Inputs;

namespace Parmap.Cli.Sweep;

/// <summary>The function a sweep maps over its items: fill the command, run the program, capture its output.</summary>
internal static class ItemRunner
{
    private static readonly ConditionalWeakTable<RunSpec, CommandTemplate> s_templates = [];
    private static readonly ConcurrentDictionary<string, string> s_paths = new(StringComparer.Ordinal);

    /// <summary>How many times this process ran each item (the items missing here a resumed run took from its journal).</summary>
    public static ConcurrentDictionary<long, int> Ran { get; } = new();

    private static readonly Lazy<ProcessGroups> s_groups = new(ProcessGroups.Start);

    /// <summary>The watchdog of this process's program groups, started with the first item (in parmap, or in a cluster node).</summary>
    public static ProcessGroups Groups => s_groups.Value;

    /// <summary>Ends the watchdog (after a normal run it has nothing left to kill) if it was started.</summary>
    public static void StopGroups()
    {
        if (s_groups.IsValueCreated)
        {
            s_groups.Value.Dispose();
        }
    }

    /// <summary>Runs one item; throws <see cref="ProgramFailedException"/> when the program failed.</summary>
    public static ItemRun Run(RunSpec spec, SweepItem item, CancellationToken cancellationToken)
    {
        var template = s_templates.GetValue(spec, s => CommandTemplate.Create(s.Command, s.Env, s.Names, s.Shell));
        var argv = template.Argv(item.Number, item.Values);
        var path = s_paths.GetOrAdd(argv[0], ProgramLocator.Resolve);
        var timeout = spec.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : (TimeSpan?)null;
        var groups = Groups ?? throw new InvalidOperationException("The sweep's watchdog was not started.");
        _ = Ran.AddOrUpdate(item.Number, 1, (_, n) => n + 1);
        var result = ChildProcess.Run(path, argv, template.Environment(item.Number, item.Values), timeout, groups, cancellationToken);
        var stdout = Encoding.UTF8.GetString(result.Stdout);
        var (fields, captureError) = Capture.Read(stdout, spec.Capture);
        var run = new ItemRun(spec.Names, item.Values, result.ExitCode, result.Duration.TotalSeconds, result.TimedOut, stdout, Encoding.UTF8.GetString(result.Stderr), fields, TimeProvider.System.GetUtcNow());
        var reason = ProgramFailedException.Reason(result, result.ExitCode == 0 ? captureError : null, timeout);
        return reason is null ? run : throw new ProgramFailedException(reason, run);
    }
}
