using System.Reflection;

namespace Parmap.Cluster;

/// <summary>Which build a process runs: the entry assembly, Parmap and Parmap.Cluster (module version ids). Nodes of another build are refused.</summary>
internal static class BuildIdentity
{
    public static string EntryName { get; } = Assembly.GetEntryAssembly()?.GetName().Name ?? "(no entry assembly)";

    public static string Current { get; } = string.Join("/",
        Assembly.GetEntryAssembly()?.ManifestModule.ModuleVersionId.ToString() ?? "",
        typeof(Par).Assembly.ManifestModule.ModuleVersionId.ToString(),
        typeof(BuildIdentity).Assembly.ManifestModule.ModuleVersionId.ToString());
}
