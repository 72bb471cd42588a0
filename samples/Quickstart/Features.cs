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
            options = options with { Isolation = Isolation.Processes };
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
