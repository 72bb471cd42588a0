using ScottPlot;

namespace Parmap.Plots;

/// <summary>Plots of grid results (ScottPlot): a heatmap for two axes, a line for one.</summary>
public static class GridResultPlots
{
    /// <summary>Saves a heatmap of a two-axis result as a PNG: the first axis up the side, the second along the bottom, with a colour bar.</summary>
    /// <param name="result">The result of a map over a two-axis grid.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="title">The title; none when <see langword="null"/>.</param>
    /// <param name="valueLabel">The colour bar label. The default is <c>value</c>.</param>
    /// <exception cref="InvalidOperationException">The grid does not have exactly two dimensions.</exception>
    public static void PlotHeatmap(this GridResult<double> result, string path, int width = 800, int height = 600, string? title = null, string? valueLabel = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        PlotSupport.CheckSize(width, height);
        if (result.Grid.Shape.Count != 2)
        {
            throw new InvalidOperationException(
                $"A heatmap needs a grid of two axes; this one has {result.Grid.Shape.Count} dimension(s) ({string.Join(", ", result.Axes.Select(a => a.Name))}). Slice it to two axes first, or use PlotLine for one.");
        }
        var rows = result.Axes[0];
        var columns = result.Axes[1];
        // ScottPlot draws row 0 of the array at the top: put the first axis' last value there so that it rises upward.
        var data = new double[rows.Count, columns.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = 0; j < columns.Count; j++)
            {
                data[rows.Count - 1 - i, j] = result.AtPositions(i, j);
            }
        }
        using var plot = new Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        var (ys, yByValue) = PlotSupport.Scale(rows);
        var (xs, xByValue) = PlotSupport.Scale(columns);
        heatmap.Extent = new CoordinateRect(Edge(xs, first: true), Edge(xs, first: false), Edge(ys, first: true), Edge(ys, first: false));
        if (!xByValue)
        {
            PlotSupport.LabelPositions(plot.Axes.Bottom, columns);
        }
        if (!yByValue)
        {
            PlotSupport.LabelPositions(plot.Axes.Left, rows);
        }
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = valueLabel ?? "value";
        plot.XLabel(columns.Name);
        plot.YLabel(rows.Name);
        if (title is not null)
        {
            plot.Title(title);
        }
        plot.Axes.Margins(0, 0);
        PlotSupport.Save(plot, path, width, height);
    }

    /// <summary>Saves a heatmap of one numeric field of a two-axis result (e.g. <c>r =&gt; r.Mean</c>).</summary>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="result">The result.</param>
    /// <param name="value">Picks the plotted number from a result.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="title">The title; none when <see langword="null"/>.</param>
    /// <param name="valueLabel">The colour bar label.</param>
    public static void PlotHeatmap<TOut>(this GridResult<TOut> result, Func<TOut, double> value, string path, int width = 800, int height = 600, string? title = null, string? valueLabel = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.Select(value).PlotHeatmap(path, width, height, title, valueLabel);
    }

    /// <summary>Saves a line plot of a one-axis result as a PNG: the axis along the bottom, the value up the side.</summary>
    /// <param name="result">The result of a map over a one-axis grid.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="title">The title; none when <see langword="null"/>.</param>
    /// <param name="valueLabel">The label of the vertical axis. The default is <c>value</c>.</param>
    /// <exception cref="InvalidOperationException">The grid has more than one dimension.</exception>
    public static void PlotLine(this GridResult<double> result, string path, int width = 800, int height = 500, string? title = null, string? valueLabel = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        PlotSupport.CheckSize(width, height);
        if (result.Grid.Shape.Count != 1)
        {
            throw new InvalidOperationException(
                $"A line plot needs a grid of one dimension; this one has {result.Grid.Shape.Count} ({string.Join(", ", result.Axes.Select(a => a.Name))}). Slice it first, e.g. result.Slice(\"{result.Axes[0].Name}\", value).");
        }
        var axis = result.Axes[0];
        var (xs, byValue) = PlotSupport.Scale(axis);
        using var plot = new Plot();
        var line = plot.Add.Scatter(xs, result.Values.ToArray());
        line.LineWidth = 2;
        line.MarkerSize = result.Count <= 50 ? 5 : 0;
        if (!byValue)
        {
            PlotSupport.LabelPositions(plot.Axes.Bottom, axis);
        }
        plot.XLabel(axis.Name);
        plot.YLabel(valueLabel ?? "value");
        if (title is not null)
        {
            plot.Title(title);
        }
        PlotSupport.Save(plot, path, width, height);
    }

    private static double Edge(double[] centres, bool first)
    {
        // Cells are centred on the axis values: the image extends half a step beyond the first and last value.
        var half = centres.Length > 1 ? (centres[^1] - centres[0]) / (centres.Length - 1) / 2 : 0.5;
        return first ? centres[0] - half : centres[^1] + half;
    }
}
