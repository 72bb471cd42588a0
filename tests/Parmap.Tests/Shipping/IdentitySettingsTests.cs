using MessagePack;

using Parmap.Shipping;

namespace Parmap.Tests.Shipping;

/// <summary>A function's identity includes the settings its code reads: static readonly fields of simple types.</summary>
public class IdentitySettingsTests
{
    [Fact]
    public void Settings_CodeReadsStaticFields_OnlyStaticReadonlyFieldsOfSimpleTypesCount()
    {
        // Given a function whose helper reads static readonly fields (int, string, enum, array), a mutable static and a const
        Func<int, double> f = static x => SettingsSample.Compute(x);

        // When the settings its code reads are listed
        var names = CodeAnalysis.Settings(f.Method).Select(field => field.Name);

        // Then they are the static readonly int, string and enum, in name order: not the array, the counter or the const
        Assert.Equal(["Label", "Mode", "Steps"], names);
    }

    [Fact]
    public void Identity_CodeReadsSettings_PayloadHoldsTheirValues()
    {
        // Given a function that reads settings and one that does not
        Func<int, double> reads = static x => SettingsSample.Compute(x);
        Func<int, double> plain = static x => x * 2.0;

        // When their identity payloads are written
        var withSettings = MessagePackSerializer.ConvertToJson(PayloadWriter.Write(reads, PayloadMode.Identity));
        var without = MessagePackSerializer.ConvertToJson(PayloadWriter.Write(plain, PayloadMode.Identity));

        // Then the first holds each setting's name and current value, and the second has no settings element
        Assert.Contains("\"12\"", withSettings, StringComparison.Ordinal);
        Assert.Contains("\"base\"", withSettings, StringComparison.Ordinal);
        Assert.Contains("\"Exact\"", withSettings, StringComparison.Ordinal);
        Assert.Contains("SettingsSample::Steps", withSettings, StringComparison.Ordinal);
        Assert.DoesNotContain("SettingsSample", without, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_SettingsFromOwnCode_IsStableAcrossCalls()
    {
        Func<int, double> f = static x => SettingsSample.Compute(x);

        Assert.Equal(FunctionPacker.Identity(f), FunctionPacker.Identity(f));
    }
}

internal enum SampleMode
{
    Fast,
    Exact,
}

internal static class SettingsSample
{
    public const int Offset = 1;
    public static readonly int Steps = 12;
    public static readonly string Label = "base";
    public static readonly SampleMode Mode = SampleMode.Exact;
    public static readonly double[] Weights = [0.5, 0.25];
    private static int s_calls;

    public static double Compute(int x)
    {
        Interlocked.Increment(ref s_calls);
        return ((x + Offset) * Steps * Weights[0]) + Label.Length + (int)Mode;
    }
}
