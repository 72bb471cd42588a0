namespace Parmap.Bench.Workloads;

/// <summary>
/// The item functions of W1-W5, exactly as specified in shared/workloads.md: unsigned 64-bit arithmetic with
/// wrap-around, binary64 with <c>+ - * /</c> only, left to right (RyuJIT does not contract to FMA).
/// </summary>
/// <remarks>Every kernel is a static method of plain integers, so the delegates built from them capture only an int
/// and can be shipped to worker processes as they are.</remarks>
internal static class Kernels
{
    public const ulong Gamma = 0x9E3779B97F4A7C15;
    public const ulong C1 = 0xBF58476D1CE4E5B9;
    public const ulong C2 = 0x94D049BB133111EB;

    /// <summary>2^-53: multiplying an integer below 2^53 by it is exact.</summary>
    private const double TwoPowMinus53 = 1.0 / 9007199254740992.0;

    /// <summary>2^32, the scale of W3's checksum.</summary>
    public const double TwoPow32 = 4294967296.0;

    /// <summary>SplitMix64 finalizer.</summary>
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * C1;
            z = (z ^ (z >> 27)) * C2;
            return z ^ (z >> 31);
        }
    }

    /// <summary>H(x, k): k rounds of <c>x = mix(x + GAMMA)</c>.</summary>
    public static ulong H(ulong x, long k)
    {
        unchecked
        {
            for (long r = 0; r < k; r++)
            {
                x = Mix(x + Gamma);
            }
            return x;
        }
    }

    /// <summary>W1 item: <c>H(i, 256) &gt;&gt; 32</c>.</summary>
    public static long Tiny(int i) => (long)(H((ulong)i, 256) >> 32);

    /// <summary>W2 item: <c>H(i, 262144) &gt;&gt; 32</c>.</summary>
    public static long Medium(int i) => (long)(H((ulong)i, 262144) >> 32);

    /// <summary>W5 item: <c>H(i, 5000 * u(i)) &gt;&gt; 32</c> with <c>u(i) = 1 + floor(100 i / n)</c>.</summary>
    public static long Uneven(int i, int n)
    {
        var units = 1 + (100L * i / n);
        return (long)(H((ulong)i, 5000 * units) >> 32);
    }

    /// <summary>W4 trial t: hits among 10,000 samples of the counter-based stream seeded by t.</summary>
    public static long Trial(int t)
    {
        unchecked
        {
            var s0 = Mix((ulong)t * Gamma);
            // u_j = (mix(s0 + j * GAMMA) >> 11) * 2^-53; the running sum is s0 + j * GAMMA (mod 2^64). The shifted value is
            // below 2^53, so converting it as a signed long is exact (and cheaper than the unsigned conversion).
            var z = s0;
            long hits = 0;
            for (var k = 0; k < 10_000; k++)
            {
                z += Gamma;
                var x = (long)(Mix(z) >> 11) * TwoPowMinus53;
                z += Gamma;
                var y = (long)(Mix(z) >> 11) * TwoPowMinus53;
                // Branch-free count: a hit is a coin flip with p = pi/4, and a mispredicted branch per sample more than
                // doubles the trial's cost (70 us instead of 29 us), hiding the scheduling under branch misses.
                hits += ((x * x) + (y * y) < 1.0) ? 1 : 0;
            }
            return hits;
        }
    }

    /// <summary>W3 item k = i * g + j of a g x g grid: the logistic map with r = 3 + a_i from x = b_j, 3000 steps.</summary>
    public static double Logistic(int k, int g)
    {
        var i = k / g;
        var j = k % g;
        // One correctly rounded division per axis value, not i * step.
        var a = (double)i / (g - 1);
        var b = (double)j / (g - 1);
        var r = 3.0 + a;
        var x = b;
        for (var s = 0; s < 3000; s++)
        {
            x = r * x * (1.0 - x);
        }
        return x;
    }

    /// <summary>W3's model at a grid point (a, b): the logistic map with r = 3 + a from x = b, 3000 steps.</summary>
    public static double LogisticAt(double a, double b)
    {
        var r = 3.0 + a;
        var x = b;
        for (var s = 0; s < 3000; s++)
        {
            x = r * x * (1.0 - x);
        }
        return x;
    }

    /// <summary>W3's checksum term: <c>trunc(x * 2^32)</c>.</summary>
    public static long Truncated(double x) => (long)(x * TwoPow32);
}
