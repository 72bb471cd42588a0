namespace Parmap.Cli.Tests;

/// <summary>The live processes whose command line holds a marker (read from /proc).</summary>
internal static class Processes
{
    public static List<int> WithMarker(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // A zombie (state Z) is gone already; only its parent has not reaped it yet.
                if (cmdline.Contains(marker, StringComparison.Ordinal) && stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') == false)
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return found;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the marked processes to be <paramref name="count"/> or more (or, with 0, none).</summary>
    public static async Task<List<int>> WaitAsync(string marker, int count, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var now = WithMarker(marker);
            if ((count == 0 ? now.Count == 0 : now.Count >= count) || clock.Elapsed > timeout)
            {
                return now;
            }
            await Task.Delay(50);
        }
    }
}
