using Parmap;

namespace Parmap.Quickstart;

/// <summary>
/// A progress line that rewrites itself (on a terminal only: piped output gets just the final lines). Called on the run's
/// own threads, synchronously; <see cref="Progress{T}"/> would post each update to the thread pool instead.
/// </summary>
internal sealed class ConsoleProgress(string label) : IProgress<ProgressInfo>
{
    private static readonly bool s_interactive = !Console.IsOutputRedirected;
    private readonly Lock _lock = new();
    private int _width;

    public static ConsoleProgress? ForTerminal(string label) => s_interactive ? new ConsoleProgress(label) : null;

    public void Report(ProgressInfo value) => Show(value.ToString());

    /// <summary>Shows <paramref name="text"/> in place of the previous line.</summary>
    public void Show(string text)
    {
        lock (_lock)
        {
            var line = $"  {label,-10} {text}";
            Console.Write("\r" + line.PadRight(_width));
            _width = Math.Max(_width, line.Length);
        }
    }

    /// <summary>Clears the line, so that the next output starts on a clean one.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Console.Write("\r" + new string(' ', _width) + "\r");
            _width = 0;
        }
    }
}
