using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

using Parmap.Cli.Commands;

// Programs are started with Linux system calls (posix_spawn, pipe2, waitid).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The demo's sources are the Quickstart sample's, written as a sample program (a Stopwatch, Task.Delay).
[assembly: SuppressMessage("ApiDesign", "RS0030", Scope = "namespaceanddescendants", Target = "~N:Parmap.Quickstart", Justification = "The Quickstart sample's own sources, linked.")]

var root = new RootCommand("parmap: run any program over a parameter grid on every core, resumable, with progress, CSV/Parquet results and plots.")
{
    RunCommand.Create(),
    JournalCommand.Create(),
    PlotCommand.Create(),
    DemoCommand.Create(),
    NodeCommand.Create(),
};
// Ctrl-C and SIGTERM are the run's (finish the running items, save the journal, say how to resume), not System.CommandLine's.
// '@file.csv' is a grid spec, not a response file.
return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
