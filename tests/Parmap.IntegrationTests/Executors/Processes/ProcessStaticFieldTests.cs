namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>
/// A mutable static field the owner sets is not seen by worker processes (each has its own copy): a function that reads
/// one is refused before any worker starts, unless the workers set it themselves.
/// </summary>
public class ProcessStaticFieldTests : ProcessTests
{
    private static readonly ParOptions s_processes = new() { Executor = ExecutorOptions.Processes, Workers = 2 };
    private static readonly string SettingsName = typeof(Settings).FullName!.Replace('+', '.');

    [Fact]
    public async Task Map_ReadsAStaticFieldTheOwnerSet_RefusedNamingItAndNoProcessStarts()
    {
        // Given a setting the program stores in a mutable static field at run time (as Main would, from its arguments)
        Settings.Scale = 42;
        var before = Procs.ChildrenOf(Environment.ProcessId).Count;

        var e = await Assert.ThrowsAsync<UnshippableFunctionException>(() => Par.Map(new[] { 1, 2, 3 }, static x => x * Settings.Scale, s_processes));

        Assert.Equal($"The function reads the mutable static field '{SettingsName}.Scale' (Int32), which cannot be sent to a worker process: "
            + "worker processes have their own copy of static fields, so a value this process stored in it is not seen there (a worker sees the field's initial value). "
            + $"Copy it into a local variable that the lambda captures (var scale = {SettingsName}.Scale; then use scale in the lambda), make it static readonly if it is set once at start-up, "
            + "or set ProcessOptions.AllowMutableStaticReads = true if the workers set it themselves (in WorkerInitializer or a static constructor).", e.Message);
        Assert.Equal($"{SettingsName}.Scale", e.VariableName);
        Assert.Equal(before, Procs.ChildrenOf(Environment.ProcessId).Count);
    }

    [Fact]
    public async Task Map_ReadsAStaticPropertyThroughAMethod_RefusedNamingTheProperty()
    {
        Settings.Label = "run 7";

        var e = await Assert.ThrowsAsync<UnshippableFunctionException>(() => Par.Map(new[] { 1 }, static x => Settings.Describe(x), s_processes));

        Assert.Contains($"'{SettingsName}.Label' (String)", e.Message, StringComparison.Ordinal);
        Assert.Contains("var label = ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_CapturedLocalCopy_WorkersSeeTheValue()
    {
        Settings.Scale = 41;
        var scale = Settings.Scale;

        var ys = await Par.Map(new[] { 1, 2, 3 }, x => x * scale, s_processes);

        Assert.Equal([41, 82, 123], ys);
    }

    [Fact]
    public async Task Map_StaticsTheWorkersSetThemselves_Allowed()
    {
        // A cache the function fills itself, a table the worker initializer loads, a counter it increments, a constant
        var options = new ParOptions { Executor = new ProcessOptions { WorkerInitializer = Settings.LoadTable }, Workers = 2 };

        var ys = await Par.Map(Enumerable.Range(0, 6).ToArray(), static x => Settings.Cached(x) + Settings.Table![x % 3] + Settings.Count() * 0 + Settings.Fixed, options);

        Assert.Equal(Enumerable.Range(0, 6).Select(x => (x * 2) + (10 * (x % 3)) + 5), ys);
    }

    [Fact]
    public async Task Map_AllowMutableStaticReads_RunsWithTheWorkersOwnCopy()
    {
        // The workers never saw 42: they compute with the field's initial value, 1 (what the option accepts)
        Settings.Scale = 42;
        var options = new ParOptions { Executor = new ProcessOptions { AllowMutableStaticReads = true }, Workers = 2 };

        var ys = await Par.Map(new[] { 1, 2, 3 }, static x => x * Settings.Scale, options);

        Assert.Equal([1, 2, 3], ys);
    }

    [Fact]
    public async Task Map_OnThreads_StaticsNeedNoCheck()
    {
        Settings.Scale = 42;

        var ys = await Par.Map(new[] { 1, 2 }, static x => x * Settings.Scale);

        Assert.Equal([42, 84], ys);
    }

    public static class Settings
    {
        public const int Fixed = 5;
        private static int s_calls;
        private static Dictionary<int, int>? s_cache;

        public static int Scale = 1;

        public static string Label { get; set; } = "";

        public static int[]? Table { get; private set; }

        public static void LoadTable() => Table = [0, 10, 20];

        public static string Describe(int x) => $"{Label}: {x}";

        public static int Cached(int x)
        {
            s_cache ??= [];
            if (!s_cache.TryGetValue(x, out var y))
            {
                s_cache[x] = y = x * 2;
            }
            return y;
        }

        public static int Count() => Interlocked.Increment(ref s_calls);
    }
}
