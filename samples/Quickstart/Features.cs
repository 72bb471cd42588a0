using Parmap;

namespace Parmap.Quickstart;

/// <summary>Maps the optional command-line features onto <see cref="ParOptions"/>, failing clearly where this build lacks them.</summary>
internal static class Features
{
    public static ParOptions Configure(ParOptions options, bool processes, string? journal)
    {
        if (processes)
        {
            options = options with { Executor = ExecutorOptions.Processes };
        }
        if (journal is not null)
        {
            options = options with { Journal = journal };
        }
        return options;
    }
}
