using System.Numerics;
using System.Runtime.CompilerServices;

namespace Parmap;

/// <summary>
/// The random stream of one Monte Carlo trial, derived from (seed, trial index) only, so a trial draws the same numbers
/// whichever worker, batch or process runs it, and in whatever order.
/// </summary>
/// <remarks>
/// <para><b>Generator.</b> xoshiro256** (Blackman and Vigna, 2018): 256 bits of state, period 2^256 - 1, passes BigCrush and
/// PractRand. Its state for trial t is four outputs of SplitMix64 (Steele, Lea and Flood, 2014) started at the 64-bit key
/// <c>mix(mix(seed ^ C) + (t + 1) * GAMMA)</c>, where <c>mix</c> is the SplitMix64 finalizer; the key is a bijection of t for
/// a given seed, so distinct trials get distinct, decorrelated starting points, as the xoshiro authors recommend for seeding.</para>
/// <para><b>Draws.</b> <see cref="Uniform()"/> is <c>(x &gt;&gt; 11) * 2^-53</c>, exact in binary64; <see cref="Integer"/> is
/// unbiased (Lemire's multiply-and-reject); <see cref="Normal()"/> uses the Marsaglia polar method (it calls
/// <see cref="Math.Log(double)"/> and <see cref="Math.Sqrt"/>: bit-identical on one platform and runtime, possibly not across
/// platforms, whereas uniform and integer draws are bit-identical everywhere).</para>
/// <para>Not thread-safe and not cryptographic. A trial must use its stream only while it runs.</para>
/// </remarks>
public sealed class Rng
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;
    private const ulong SeedSalt = 0x6A09E667F3BCC909;
    private const double Unit = 1.0 / (1UL << 53);
    private readonly ulong _seedKey;
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private bool _hasSpare;
    private double _spare;

    /// <summary>Creates the stream of trial <paramref name="trial"/> for <paramref name="seed"/> (the same stream <c>MonteCarlo.Run</c> hands that trial).</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="trial">The trial index, from 0.</param>
    public Rng(long seed, long trial)
    {
        Seed = seed;
        _seedKey = Mix(unchecked((ulong)seed) ^ SeedSalt);
        Reset(trial);
    }

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>The index of the trial this stream belongs to.</summary>
    public long Trial { get; private set; }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1), a multiple of 2^-53.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Uniform() => (NextUInt64() >> 11) * Unit;

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="low">Lower bound (inclusive).</param>
    /// <param name="high">Upper bound (exclusive, for high &gt; low).</param>
    public double Uniform(double low, double high) => low + ((high - low) * Uniform());

    /// <summary>A standard normal draw (mean 0, standard deviation 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Normal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = (2 * Uniform()) - 1;
            v = (2 * Uniform()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);
        var scale = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * scale;
        _hasSpare = true;
        return u * scale;
    }

    /// <summary>A normal draw with the given mean and standard deviation.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="standardDeviation">The standard deviation.</param>
    public double Normal(double mean, double standardDeviation) => mean + (standardDeviation * Normal());

    /// <summary>A uniform integer in [<paramref name="low"/>, <paramref name="high"/>), without bias.</summary>
    /// <param name="low">Lower bound (inclusive).</param>
    /// <param name="high">Upper bound (exclusive).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is not above <paramref name="low"/>.</exception>
    public long Integer(long low, long high)
    {
        if (high <= low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"The range [{low}, {high}) is empty: high must be greater than low.");
        }
        var range = (ulong)(high - low);
        var hi = Math.BigMul(NextUInt64(), range, out var lo);
        if (lo < range)
        {
            var threshold = (0 - range) % range;
            while (lo < threshold)
            {
                hi = Math.BigMul(NextUInt64(), range, out lo);
            }
        }
        return low + (long)hi;
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    /// <param name="p">The probability, in [0, 1].</param>
    public bool Bernoulli(double p) => Uniform() < p;

    /// <summary>One of <paramref name="items"/>, each equally likely.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items (at least one).</param>
    /// <exception cref="ArgumentException"><paramref name="items"/> is empty.</exception>
    public T Choice<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("Cannot choose from an empty list.", nameof(items));
        }
        return items[(int)Integer(0, items.Count)];
    }

    /// <summary>Moves this instance to the start of trial <paramref name="trial"/>'s stream (reuse without allocation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Reset(long trial)
    {
        Trial = trial;
        var key = Mix(_seedKey + (((ulong)trial + 1) * Gamma));
        // SplitMix64 from the key: its state advances by GAMMA before each output.
        key += Gamma;
        _s0 = Mix(key);
        key += Gamma;
        _s1 = Mix(key);
        key += Gamma;
        _s2 = Mix(key);
        key += Gamma;
        _s3 = Mix(key);
        _hasSpare = false;
    }

    /// <summary>The SplitMix64 finalizer.</summary>
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
