/// <summary>
/// The .NET startup hook that turns a relaunched copy of the application into a Parmap worker. The owner starts the
/// worker with <c>DOTNET_STARTUP_HOOKS</c> naming Parmap.dll; the runtime calls <see cref="Initialize"/> before
/// <c>Main</c>; in worker mode it serves the owner and exits, so <c>Main</c> never runs. In any other process it returns at once.
/// </summary>
/// <remarks>The runtime requires this exact name in the global namespace.</remarks>
internal static class StartupHook
{
    public static void Initialize() => Parmap.ParmapWorker.RunIfWorker();
}
