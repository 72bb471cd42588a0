using System.Runtime.InteropServices;

namespace Parmap.IntegrationTests;

/// <summary>
/// Functions the tests run in worker processes: static methods, so that they ship with any function packer.
/// Crashing ones crash on item 13 only.
/// </summary>
internal static partial class Fns
{
    public const int Poison = 13;

    public static long Square(int x) => (long)x * x;

    public static int Pid(int x) => Environment.ProcessId;

    public static int SlowPid(int x)
    {
        Thread.Sleep(5);
        return Environment.ProcessId;
    }

    public static int ThrowOnFive(int x) => x == 5 ? throw new ArgumentException($"five is not allowed ({x})") : x;

    public static int ThrowOnMultiplesOfSeven(int x) => x % 7 == 0 ? throw new InvalidOperationException($"{x} is a multiple of seven") : x + 1;

    public static int FailFastOnPoison(int x)
    {
        if (x == Poison)
        {
            Environment.FailFast("poison item reached");
        }
        return x * 2;
    }

    public static int ExitOnPoison(int x)
    {
        if (x == Poison)
        {
            Environment.Exit(42);
        }
        return x * 2;
    }

    public static int OverflowOnPoison(int x) => x == Poison ? Recurse(x) : x * 2;

    public static int SegfaultOnPoison(int x)
    {
        if (x == Poison)
        {
            // A real invalid memory access in native code (a user-sent SIGSEGV is not a fault, and the runtime ignores it).
            _ = strlen(1);
        }
        return x * 2;
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; a signal that stops or kills this process takes effect before this returns.</summary>
    public static void Signal(int pid, int signal)
    {
        _ = kill(pid, signal);
        if (pid == Environment.ProcessId && signal == 9)
        {
            Thread.Sleep(Timeout.Infinite);
        }
    }

    public static int KillSelfOnPoison(int x)
    {
        if (x == Poison)
        {
            _ = kill(Environment.ProcessId, 9);
            Thread.Sleep(Timeout.Infinite);
        }
        return x * 2;
    }

    public static int HangOnSeven(int x)
    {
        if (x == 7)
        {
            Thread.Sleep(Timeout.Infinite);
        }
        return x * 2;
    }

    public static int Chatty(int x)
    {
        Console.WriteLine($"hello from item {x}");
        Console.Out.Flush();
        return x * 3;
    }

    public static int ProcessorCount(int x) => Environment.ProcessorCount;

    public static bool InsideWorker(int x) => Parmap.Scheduling.Lane.Inside;

    public static int NestedMapSum(int x) => Par.MapSync(Enumerable.Range(0, x), y => y).Sum() + (Par.LastReport!.Workers * 1000);

    private static int Recurse(int depth)
    {
        Span<byte> pad = stackalloc byte[256];
        pad[depth & 255] = (byte)depth;
        return Recurse(depth + 1) + pad[(depth + 1) & 255];
    }

    [LibraryImport("libc")]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial nint strlen(nint s);

    /// <summary>The environment variable naming the directory where <see cref="Executions"/> logs each execution.</summary>
    public const string ExecutionLog = "PARMAP_TEST_EXECUTIONS";

    /// <summary>Logs that it ran (one file per process), then takes 3 ms; the function named by PARMAP_TEST_CRASH kills the worker on the poison item.</summary>
    public static int Executions(int x)
    {
        if (Environment.GetEnvironmentVariable(ExecutionLog) is { Length: > 0 } dir)
        {
            File.AppendAllText(Path.Combine(dir, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"{x}\n");
        }
        Thread.Sleep(3);
        return Environment.GetEnvironmentVariable("PARMAP_TEST_CRASH") switch
        {
            nameof(FailFastOnPoison) => FailFastOnPoison(x),
            nameof(ExitOnPoison) => ExitOnPoison(x),
            nameof(SegfaultOnPoison) => SegfaultOnPoison(x),
            nameof(KillSelfOnPoison) => KillSelfOnPoison(x),
            _ => x * 2,
        };
    }

    public static int ThrowModelDiverged(int x) => x == 13 ? throw new ModelDivergedException(x) : x;

    /// <summary>A user's exception with only a constructor of its own (no (message) or (message, inner) one).</summary>
    public sealed class ModelDivergedException(int step) : Exception($"the model diverged at step {step}");
}

public sealed record Point(int X, int Y);

public sealed record Summary(string Label, double Norm, int[] Coordinates);
