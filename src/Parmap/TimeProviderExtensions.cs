namespace Parmap;

/// <summary>Blocking waits through a <see cref="TimeProvider"/>, so that every delay in Parmap follows the clock a test controls.</summary>
internal static class TimeProviderExtensions
{
    /// <summary>Blocks the calling thread for <paramref name="delay"/> on <paramref name="time"/>'s clock.</summary>
    public static void Sleep(this TimeProvider time, TimeSpan delay) => Task.Delay(delay, time).GetAwaiter().GetResult();
}
