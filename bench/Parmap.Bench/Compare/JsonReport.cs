using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Parmap.Bench.Compare;

/// <summary>Writes one JSON object per line per implementation (the <c>compare --json</c> contract).</summary>
internal static class JsonReport
{
    public static string Line(ImplSummary s)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("workload", s.Workload.Id);
            json.WriteString("name", s.Workload.Name);
            json.WriteString("impl", s.Impl);
            json.WriteNumber("workers", s.Workers);
            json.WriteNumber("n", s.N);
            json.WriteNumber("reps", s.Reps);
            json.WriteNumber("wall_s", Math.Round(s.WallSeconds, 6));
            json.WriteNumber("wall_min_s", Math.Round(s.MinWallSeconds, 6));
            json.WriteNumber("checksum", s.Checksum);
            json.WriteNumber("reference_checksum", s.Workload.ReferenceChecksum);
            json.WriteNumber("reference_n", s.Workload.DefaultN);
            WriteBool(json, "checksum_ok", s.ChecksumOk);
            WriteBool(json, "matches_serial", s.MatchesSerial);
            json.WriteBoolean("stable_checksum", s.StableChecksum);
            WriteNumber(json, "speedup", s.Speedup);
            WriteNumber(json, "efficiency", s.Efficiency);
            if (s.Points.Count > 0)
            {
                json.WriteStartObject("points");
                foreach (var point in s.Points)
                {
                    // Shortest round-trip form, as the reference table prints it.
                    json.WritePropertyName(point.Label);
                    json.WriteRawValue(point.Value.ToString("R", CultureInfo.InvariantCulture));
                }
                json.WriteEndObject();
                WriteBool(json, "points_ok", s.PointsOk);
            }
            if (s.Report is { } report)
            {
                WriteNumber(json, "report_speedup", report.Speedup is { } speedup ? Math.Round(speedup, 4) : null);
                WriteNumber(json, "report_efficiency", report.Efficiency is { } efficiency ? Math.Round(efficiency, 4) : null);
                json.WriteNumber("report_parallelism", Math.Round(report.Parallelism, 4));
                json.WriteNumber("report_wall_s", Math.Round(report.Wall.TotalSeconds, 6));
                json.WriteNumber("report_busy_s", Math.Round(report.Busy.TotalSeconds, 6));
                json.WriteNumber("report_item_s", Math.Round(report.ItemTime.TotalSeconds, 6));
                json.WriteNumber("report_startup_s", Math.Round(report.StartUp.TotalSeconds, 6));
                json.WriteNumber("report_cpu_wait_s", Math.Round(report.CpuWait.TotalSeconds, 6));
                json.WriteNumber("batches", report.Batches);
                json.WriteNumber("mean_batch_size", Math.Round(report.MeanBatchSize, 2));
                json.WriteNumber("max_batch_size", report.BatchSize);
            }
            json.WriteBoolean("ok", s.Ok);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteBool(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } v)
        {
            json.WriteBoolean(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
