using System.Reflection;

using Parmap;

namespace Parmap.Quickstart;

/// <summary>Maps the optional command-line features onto <see cref="ParOptions"/>, failing clearly where this build lacks them.</summary>
internal static class Features
{
    public static ParOptions Configure(ParOptions options, bool processes, string? journal)
    {
        if (processes)
        {
            // Wired by name so the flag works as soon as the library's Isolation enum has Processes.
            if (!Enum.TryParse<Isolation>("Processes", out var isolation))
            {
                throw new NotSupportedException("--processes: processes isolation is not available in this build of Parmap (only threads). Run without --processes.");
            }
            options = options with { Isolation = isolation };
        }
        if (journal is not null)
        {
            // Wired by name so the flag works as soon as ParOptions has a Journal path.
            var property = typeof(ParOptions).GetProperty("Journal", BindingFlags.Public | BindingFlags.Instance);
            if (property is null || property.PropertyType != typeof(string))
            {
                throw new NotSupportedException("--journal: journals are not available in this build of Parmap. Run without --journal.");
            }
            options = options with { };
            property.SetValue(options, journal);
        }
        return options;
    }
}
