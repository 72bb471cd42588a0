using ScottPlot;

namespace Parmap.Plots;

/// <summary>Plots of Monte Carlo estimates (ScottPlot): the histogram of the trial values and the convergence of the running estimate.</summary>
public static class EstimatePlots
{
    /// <summary>Saves the histogram of the trial values as a PNG, with the mean marked.</summary>
    /// <param name="estimate">An estimate run with <see cref="MonteCarloOptions.Histogram"/>.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="title">The title; none when <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">The run did not ask for a histogram.</exception>
    public static void PlotHistogram(this Estimate estimate, string path, int width = 800, int height = 500, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        PlotSupport.CheckSize(width, height);
        var histogram = estimate.Histogram
            ?? throw new InvalidOperationException("This estimate has no histogram: run it with new MonteCarloOptions { Histogram = new HistogramOptions(bins, min, max) }.");
        using var plot = new Plot();
        var centres = Enumerable.Range(0, histogram.Counts.Count).Select(histogram.Center).ToArray();
        var bars = plot.Add.Bars(centres, [.. histogram.Counts.Select(c => (double)c)]);
        foreach (var bar in bars.Bars)
        {
            bar.Size = histogram.BinWidth;
            bar.LineWidth = 0;
        }
        var mean = plot.Add.VerticalLine(estimate.Mean);
        mean.Text = "mean";
        mean.LinePattern = LinePattern.Dashed;
        plot.XLabel(estimate.Name ?? "trial value");
        plot.YLabel("trials");
        plot.Title(title ?? estimate.ToString());
        plot.Axes.Margins(bottom: 0);
        PlotSupport.Save(plot, path, width, height);
    }

    /// <summary>Saves the running estimate against the number of trials as a PNG: the mean as a line inside its confidence band.</summary>
    /// <param name="estimate">The estimate (its <see cref="Estimate.Convergence"/> series, one point per block).</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="title">The title; none when <see langword="null"/>.</param>
    /// <param name="reference">A known true value to draw as a horizontal line (e.g. <see cref="Math.PI"/>); none when <see langword="null"/>.</param>
    public static void PlotConvergence(this Estimate estimate, string path, int width = 800, int height = 500, string? title = null, double? reference = null)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        PlotSupport.CheckSize(width, height);
        // The first block's interval can be huge (few trials): start the band where it is finite.
        var points = estimate.Convergence.Where(p => double.IsFinite(p.Lower) && double.IsFinite(p.Upper)).ToArray();
        if (points.Length == 0)
        {
            throw new InvalidOperationException("The estimate has no convergence series to plot (it needs at least one block of two or more trials).");
        }
        double[] xs = [.. points.Select(p => (double)p.Trials)];
        using var plot = new Plot();
        var band = plot.Add.FillY(xs, [.. points.Select(p => p.Lower)], [.. points.Select(p => p.Upper)]);
        band.FillColor = Colors.SteelBlue.WithAlpha(0.3);
        band.LegendText = $"{estimate.ConfidenceLevel * 100:0.##}% CI";
        var mean = plot.Add.Scatter(xs, [.. points.Select(p => p.Mean)]);
        mean.MarkerSize = 0;
        mean.LineWidth = 2;
        mean.Color = Colors.SteelBlue;
        mean.LegendText = "running mean";
        if (reference is { } value)
        {
            var line = plot.Add.HorizontalLine(value);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black;
            line.LegendText = $"reference {Axis.Format(value)}";
        }
        plot.XLabel("trials");
        plot.YLabel(estimate.Name ?? "estimate");
        plot.Title(title ?? estimate.ToString());
        plot.ShowLegend();
        PlotSupport.Save(plot, path, width, height);
    }
}
