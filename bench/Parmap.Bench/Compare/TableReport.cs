using System.Globalization;
using System.Text;

namespace Parmap.Bench.Compare;

/// <summary>Writes a workload's summaries as a readable table.</summary>
internal static class TableReport
{
    public static string Format(IReadOnlyList<ImplSummary> summaries)
    {
        var first = summaries[0];
        var w = first.Workload;
        var text = new StringBuilder();
        var size = first.N == w.DefaultN ? "default size" : string.Create(CultureInfo.InvariantCulture, $"reference at n={w.DefaultN:N0}");
        Line(text, $"{w.Id} {w.Name}: n={first.N:N0}, median of {first.Reps} reps; reference checksum {w.ReferenceChecksum} ({size})");
        Line(text, $"  {"impl",-18} {"workers",7} {"wall_s",9} {"min_s",9} {"speedup",8} {"effic.",7} {"checksum",18} {"check",-6} run report");
        foreach (var s in summaries)
        {
            Line(text, $"  {s.Impl,-18} {s.Workers,7} {s.WallSeconds,9:F4} {s.MinWallSeconds,9:F4} {Num(s.Speedup),8} {Num(s.Efficiency),7} {s.Checksum,18} {Check(s),-6} {Report(s.Report)}");
        }
        foreach (var s in summaries.Where(s => s.Points.Count > 0).Take(1))
        {
            var points = string.Join("; ", s.Points.Select(p => $"{p.Label}={p.Value.ToString("R", CultureInfo.InvariantCulture)}"));
            var ok = s.PointsOk switch { true => " (match the reference)", false => " (DIFFER from the reference)", null => "" };
            Line(text, $"  points ({s.Impl}): {points}{ok}");
        }
        return text.ToString().TrimEnd();
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.AppendLine(line.ToString(CultureInfo.InvariantCulture).TrimEnd());

    private static string Num(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Check(ImplSummary s)
    {
        if (!s.Ok)
        {
            return "FAIL";
        }
        return s.ChecksumOk == true ? "ok" : s.MatchesSerial == true ? "=ser" : "?";
    }

    private static string Report(RunReport? report) => report is null
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"speedup {report.Speedup:F2}, parallelism {report.Parallelism:F2}, {report.Batches:N0} batches of ~{report.MeanBatchSize:N0} (max {report.BatchSize:N0})");
}
