using System.Diagnostics;

using Parmap;

// The seed's two workloads (see ../shared/workloads.md): a 1000 x 1000 grid of two parameters through a model, and a
// Monte Carlo simulation of 100,000 trials; each run serially and through Par.Map, with the speedup achieved.
const int G = 1000;
const ulong Gamma = 0x9E3779B97F4A7C15;

static ulong Mix(ulong z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
    return z ^ (z >> 31);
}

static double Model(int k)
{
    double a = (double)(k / G) / (G - 1), b = (double)(k % G) / (G - 1);
    double r = 3.0 + a, x = b;
    for (var n = 0; n < 3000; n++)
    {
        x = r * x * (1.0 - x);
    }
    return x;
}

static int Trial(int t)
{
    var s0 = Mix((ulong)t * Gamma);
    var hits = 0;
    for (ulong k = 0; k < 10_000; k++)
    {
        var x = (Mix(s0 + ((2 * k) + 1) * Gamma) >> 11) * (1.0 / (1UL << 53));
        var y = (Mix(s0 + ((2 * k) + 2) * Gamma) >> 11) * (1.0 / (1UL << 53));
        hits += x * x + y * y < 1.0 ? 1 : 0;
    }
    return hits;
}

var points = Enumerable.Range(0, G * G).ToArray();
var serial = Stopwatch.StartNew();
var surfaceSerial = points.Select(Model).ToArray();
serial.Stop();
var surface = await Par.Map(points, Model);
var gridReport = Par.LastReport!;
var checksum = surface.Sum(x => (long)Math.Truncate(x * 4294967296.0));
Console.WriteLine($"W3 grid {G} x {G}: checksum {checksum} (reference 2681980046249612), identical to serial: {surface.SequenceEqual(surfaceSerial)}");
Console.WriteLine($"  serial {serial.Elapsed.TotalSeconds:F2} s; {gridReport}; vs serial {serial.Elapsed / gridReport.Wall:F2}x");

var trials = Enumerable.Range(0, 100_000).ToArray();
serial.Restart();
long hitsSerial = trials.Sum(Trial);
serial.Stop();
var hits = (await Par.Map(trials, Trial)).Sum(h => (long)h);
var mcReport = Par.LastReport!;
Console.WriteLine($"W4 Monte Carlo 100,000 trials: pi = {4.0 * hits / 1e9:F7}, checksum {hits} (reference 785404175), identical to serial: {hits == hitsSerial}");
Console.WriteLine($"  serial {serial.Elapsed.TotalSeconds:F2} s; {mcReport}; vs serial {serial.Elapsed / mcReport.Wall:F2}x");
