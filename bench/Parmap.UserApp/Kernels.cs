/// <summary>Item functions of the scenarios (W2, W3 and W4 as in shared/workloads.md, plus small models).</summary>
internal static class Kernels
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }

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

    public static long Medium(int i) => (long)(H((ulong)i, 262144) >> 32);

    public static double Logistic(double a, double b)
    {
        var r = 3.0 + a;
        var x = b;
        for (var k = 0; k < 3000; k++)
        {
            x = r * x * (1.0 - x);
        }
        return x;
    }

    /// <summary>A damped oscillator x'' = -k x - c x' integrated with 400 RK2 steps.</summary>
    public static double Oscillator(double k, double c)
    {
        double x = 1, v = 0;
        const double dt = 0.01;
        for (var s = 0; s < 400; s++)
        {
            var ax = (-k * x) - (c * v);
            var xm = x + (0.5 * dt * v);
            var vm = v + (0.5 * dt * ax);
            var am = (-k * xm) - (c * vm);
            x += dt * vm;
            v += dt * am;
        }
        return x;
    }

    /// <summary>W4's trial t: hits among 10,000 samples of its counter-based stream.</summary>
    public static long Trial(int t) => (long)Samples(t, 10_000);

    /// <summary>Hits among <paramref name="samples"/> samples of trial t's counter-based stream.</summary>
    public static double Samples(long t, int samples)
    {
        unchecked
        {
            var z = Mix((ulong)t * Gamma);
            long hits = 0;
            for (var k = 0; k < samples; k++)
            {
                z += Gamma;
                var x = (long)(Mix(z) >> 11) * (1.0 / 9007199254740992.0);
                z += Gamma;
                var y = (long)(Mix(z) >> 11) * (1.0 / 9007199254740992.0);
                hits += ((x * x) + (y * y) < 1.0) ? 1 : 0;
            }
            return hits;
        }
    }
}
