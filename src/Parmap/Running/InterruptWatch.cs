using System.Runtime.InteropServices;

namespace Parmap.Running;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM while runs that handle them are active: the first signal is taken over (the process keeps
/// running) and passed to every active run that handles them, which stops gracefully; a second one gets the default handling, which
/// ends the process at once. Signals are handled only while at least one such run is active.
/// </summary>
internal static class InterruptWatch
{
    private static readonly Lock s_lock = new();
    private static readonly List<Action<string>> s_listeners = [];
    private static PosixSignalRegistration? s_sigint;
    private static PosixSignalRegistration? s_sigterm;
    private static bool s_interrupted;

    /// <summary>Calls <paramref name="onInterrupt"/> with the signal's name on the first SIGINT or SIGTERM, until disposed.</summary>
    public static IDisposable Register(Action<string> onInterrupt)
    {
        lock (s_lock)
        {
            if (s_listeners.Count == 0)
            {
                s_sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
                s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
            }
            s_listeners.Add(onInterrupt);
        }
        return new Registration(onInterrupt);
    }

    private static void Handle(PosixSignalContext context)
    {
        Action<string>[] listeners;
        lock (s_lock)
        {
            if (s_interrupted || s_listeners.Count == 0)
            {
                // The second signal: default handling ends the process now. Committed journal transactions are safe.
                context.Cancel = false;
                return;
            }
            s_interrupted = true;
            listeners = [.. s_listeners];
        }
        context.Cancel = true;
        var name = context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
        foreach (var listener in listeners)
        {
            listener(name);
        }
    }

    private static void Unregister(Action<string> onInterrupt)
    {
        lock (s_lock)
        {
            if (!s_listeners.Remove(onInterrupt) || s_listeners.Count > 0)
            {
                return;
            }
            s_sigint?.Dispose();
            s_sigterm?.Dispose();
            s_sigint = s_sigterm = null;
            s_interrupted = false;
        }
    }

    private sealed class Registration(Action<string> onInterrupt) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Unregister(onInterrupt);
            }
        }
    }
}
