using Parmap.Shipping;

namespace Parmap.Tests.Shipping;

/// <summary>Pack is deterministic, Identity is stable and tracks code and captured values, Unpack explains bad payloads.</summary>
public class FunctionPackerIdentityTests
{
    private static Func<string, string> Complex()
    {
        var counts = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 };
        var set = new HashSet<string> { "x", "y", "z" };
        var origin = new Point(1, 2);
        var scale = Factories.Multiplier(3);
        return key => $"{counts[key]} {set.Count} {origin} {scale(2)}";
    }

    [Fact]
    public void Pack_SameDelegateTwice_GivesSameBytes()
    {
        var f = Complex();

        Assert.Equal(FunctionPacker.Pack(f), FunctionPacker.Pack(f));
    }

    [Fact]
    public void Pack_EqualClosuresFromSeparateCalls_GiveSameBytes()
    {
        Assert.Equal(FunctionPacker.Pack(Complex()), FunctionPacker.Pack(Complex()));
    }

    [Fact]
    public void Identity_SameDelegateTwice_IsSameHexHash()
    {
        var f = Complex();

        var identity = FunctionPacker.Identity(f);

        Assert.Equal(identity, FunctionPacker.Identity(f));
        Assert.Equal(identity, FunctionPacker.Identity(Complex()));
        Assert.Matches("^[0-9a-f]{64}$", identity);
    }

    [Fact]
    public void Identity_CapturedValueDiffers_Differs()
    {
        Assert.NotEqual(FunctionPacker.Identity(Factories.Multiplier(3)), FunctionPacker.Identity(Factories.Multiplier(4)));
    }

    [Fact]
    public void Identity_NestedCapturedValueDiffers_Differs()
    {
        var three = Factories.Multiplier(3);
        var four = Factories.Multiplier(4);
        Func<int, int> f = x => three(x) + 1;
        Func<int, int> g = x => four(x) + 1;

        Assert.NotEqual(FunctionPacker.Identity(f), FunctionPacker.Identity(g));
    }

    [Fact]
    public void Identity_CodeDiffers_Differs()
    {
        Assert.NotEqual(FunctionPacker.Identity(Factories.Multiplier(3)), FunctionPacker.Identity(Factories.Adder(3)));
    }

    [Fact]
    public void Identity_LiteralInCodeDiffers_Differs()
    {
        // Two lambdas whose IL differs only in a string literal.
        Func<int, string> a = x => "a" + x;
        Func<int, string> b = x => "b" + x;

        Assert.NotEqual(FunctionPacker.Identity(a), FunctionPacker.Identity(b));
    }

    [Fact]
    public void Identity_Payload_HoldsNoModuleVersion()
    {
        // The module version id changes with every build; the identity must not depend on it.
        var mvid = typeof(FunctionPackerIdentityTests).Module.ModuleVersionId.ToByteArray();
        var f = Complex();

        var shipped = PayloadWriter.Write(f, PayloadMode.Shipping);
        var identity = PayloadWriter.Write(f, PayloadMode.Identity);

        Assert.True(shipped.AsSpan().IndexOf(mvid) >= 0);
        Assert.True(identity.AsSpan().IndexOf(mvid) < 0);
    }

    [Fact]
    public void Identity_UnshippableCapture_DoesNotThrow()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var stream = new FileStream(path, FileMode.Open);
            Func<int, long> f = x => x + stream.Length;

            Assert.Matches("^[0-9a-f]{64}$", FunctionPacker.Identity(f));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Identity_CompiledExpressions_DifferEvenWithSameShape()
    {
        // Code compiled at run time cannot be fingerprinted, so two compiled expressions must never share an identity.
        System.Linq.Expressions.Expression<Func<int, int>> square = x => x * x;
        System.Linq.Expressions.Expression<Func<int, int>> cube = x => x * x * x;
        var f = square.Compile();
        var g = cube.Compile();

        Assert.Equal(FunctionPacker.Identity(f), FunctionPacker.Identity(f));
        Assert.NotEqual(FunctionPacker.Identity(f), FunctionPacker.Identity(g));
    }

    [Theory]
    [InlineData("<Main>b__0_1", "<Main>b__")]
    [InlineData("<>c__DisplayClass12_3", "<>c__DisplayClass")]
    [InlineData("<Run>g__Local|4_0", "<Run>g__Local|")]
    [InlineData("CS$<>8__locals1", "CS$<>8__locals")]
    [InlineData("<<Main>b__0_0>d", "<<Main>b__>d")]
    [InlineData("<>c__DisplayClass0_0`1", "<>c__DisplayClass`1")]
    [InlineData("Model2", "Model2")]
    public void StableMember_CompilerOrdinals_AreRemoved(string name, string expected)
    {
        Assert.Equal(expected, TypeNames.StableMember(name));
    }

    [Fact]
    public void Unpack_OtherBuildOfAssembly_ThrowsNamingIt()
    {
        // Given a payload whose module version id is not the loaded one (as from another build)
        var payload = FunctionPacker.Pack(Factories.Multiplier(3));
        var mvid = typeof(Factories).Module.ModuleVersionId.ToByteArray();
        var at = payload.AsSpan().IndexOf(mvid);
        Assert.True(at >= 0);
        payload[at] ^= 0xFF;

        // Then Unpack says which assembly differs and what to do
        var error = Assert.Throws<ParmapException>(() => FunctionPacker.Unpack(payload));
        Assert.Contains("different build of 'Parmap.Tests'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rebuild", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unpack_OtherFormatVersion_Throws()
    {
        var payload = FunctionPacker.Pack(Factories.Multiplier(3));
        Assert.Equal(PayloadWriter.FormatVersion, payload[1]);
        payload[1] = 99;

        var error = Assert.Throws<ParmapException>(() => FunctionPacker.Unpack(payload));

        Assert.Contains("format version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unpack_TruncatedPayload_ThrowsParmapException()
    {
        var payload = FunctionPacker.Pack(Complex());

        var error = Assert.Throws<ParmapException>(() => FunctionPacker.Unpack(payload.AsSpan(0, payload.Length / 2)));

        Assert.Contains("could not rebuild the function", error.Message, StringComparison.Ordinal);
    }
}
