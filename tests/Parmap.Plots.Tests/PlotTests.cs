using SkiaSharp;

namespace Parmap.Plots.Tests;

public sealed class PlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parmap-plots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PlotHeatmap_TwoAxisGrid_WritesPngOfRequestedSizeWithManyColours()
    {
        var surface = await Par.Map(Grid.Of(Axis.Linspace("alpha", 0, 1, 60), Axis.Linspace("beta", 0, 1, 40)), p => Math.Sin(6 * p.Item1) * p.Item2);
        var path = Path.Combine(_dir, "surface.png");

        surface.PlotHeatmap(path, 640, 480, title: "test surface");

        AssertPng(path, 640, 480, minColours: 50);
    }

    [Fact]
    public async Task PlotHeatmap_RecordFieldAndLogAxis_Works()
    {
        var result = await Par.Map(Grid.Of(Axis.Logspace("lr", 1e-4, 1, 5), Axis.Values("depth", 1, 2, 4, 8)), p => (Loss: p.Item1 * p.Item2, Steps: 3));
        var path = Path.Combine(_dir, "record.png");

        result.PlotHeatmap(r => r.Loss, path, 500, 400, valueLabel: "loss");

        AssertPng(path, 500, 400, minColours: 10);
    }

    [Fact]
    public async Task PlotHeatmap_OneAxis_ThrowsSayingWhatToDo()
    {
        var line = await Par.Map(Grid.Of(Axis.Linspace("x", 0, 1, 5)), x => x);

        var e = Assert.Throws<InvalidOperationException>(() => line.PlotHeatmap(Path.Combine(_dir, "no.png")));

        Assert.Contains("A heatmap needs a grid of two axes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlotLine_OneAxisGrid_WritesPng()
    {
        var curve = await Par.Map(Grid.Of(Axis.Linspace("x", 0, 6, 200)), Math.Sin);
        var path = Path.Combine(_dir, "line.png");

        curve.PlotLine(path, 700, 400, title: "sin");

        AssertPng(path, 700, 400, minColours: 5);
    }

    [Fact]
    public async Task PlotHistogramAndConvergence_Estimate_WritePngs()
    {
        var pi = await MonteCarlo.Run(5000, 42, rng =>
        {
            var hits = 0;
            for (var k = 0; k < 100; k++)
            {
                var x = rng.Uniform();
                var y = rng.Uniform();
                hits += (x * x) + (y * y) < 1 ? 1 : 0;
            }
            return 4.0 * hits / 100;
        }, new MonteCarloOptions { Histogram = new HistogramOptions(30, 2.4, 3.8) });
        var histogram = Path.Combine(_dir, "histogram.png");
        var convergence = Path.Combine(_dir, "convergence.png");

        pi.PlotHistogram(histogram, 600, 400);
        pi.PlotConvergence(convergence, 800, 450, reference: Math.PI);

        AssertPng(histogram, 600, 400, minColours: 5);
        AssertPng(convergence, 800, 450, minColours: 5);
    }

    [Fact]
    public async Task PlotHistogram_NoHistogramRequested_ThrowsSayingHow()
    {
        var e = await MonteCarlo.Run(100, 1, rng => rng.Uniform());

        var error = Assert.Throws<InvalidOperationException>(() => e.PlotHistogram(Path.Combine(_dir, "no.png")));

        Assert.Contains("HistogramOptions", error.Message, StringComparison.Ordinal);
    }

    private static void AssertPng(string path, int width, int height, int minColours)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        var colours = bitmap.Pixels.Select(p => (uint)p).Distinct().Count();
        Assert.True(colours >= minColours, $"{path} has only {colours} distinct colours");
    }
}
