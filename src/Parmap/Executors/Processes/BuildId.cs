using System.Reflection;

namespace Parmap.Executors.Processes;

/// <summary>What identifies this build: the module version ids of the entry assembly and of Parmap.</summary>
internal static class BuildId
{
    public static string EntryMvid { get; } = Assembly.GetEntryAssembly()?.ManifestModule.ModuleVersionId.ToString() ?? "";

    public static string ParmapMvid { get; } = typeof(BuildId).Assembly.ManifestModule.ModuleVersionId.ToString();

    public static string EntryName { get; } = Assembly.GetEntryAssembly()?.GetName().Name ?? "(no entry assembly)";
}
