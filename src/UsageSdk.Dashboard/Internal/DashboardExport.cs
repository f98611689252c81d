using System.Globalization;
using System.Text;
using System.Text.Json;
using UsageSdk.Archive;
using UsageSdk.Archive.Internal;
using UsageSdk.Reports;

namespace UsageSdk.Dashboard.Internal;

/// <summary>
/// The exports of a view, with the view's range, filters and sorts: CSV of the rows of "Usage over time" (or of the
/// per-key / per-model table with <c>table=keys|models</c>, every row), and JSON of the whole view (its parameters and
/// the report). Exact values: decimals as the report holds them, counts as integers, times in ISO 8601 UTC.
/// </summary>
internal static class DashboardExport
{
    public static readonly string[] SeriesColumns = ["start", "end", "requests", "tokens_in", "tokens_out", "tokens_total", "billed_usd", "estimated_usd", "errors"];
    public static readonly string[] GroupColumns = ["key", "name", "requests", "tokens_in", "tokens_out", "tokens_total", "audio_hours", "billed_usd", "estimated_usd", "errors", "error_rate"];

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static string Csv(DashboardView view, UsageReport report, string? table)
    {
        // The archive's RFC 4180 writer (CRLF, quotes where needed): the same CSV as the library's exports.
        var csv = new CsvRecord(4096);
        switch (table)
        {
            case null or "" or "time":
                Header(csv, SeriesColumns);
                foreach (var b in view.Resolution == Resolution.Hour ? report.Hourly : report.Daily)
                {
                    var f = b.Figures;
                    Row(csv, Fmt.Iso(b.Start), Fmt.Iso(b.End), I(f.Requests), I(f.TokensIn), I(f.TokensOut), I(f.TokensTotal), Fmt.Exact(f.BilledUsd), Fmt.Exact(f.EstimatedUsd), I(f.States.Error));
                }
                break;
            case "keys" or "models":
                Header(csv, GroupColumns);
                var groups = table == "keys"
                    ? view.KeySort.Apply(report.GetGroups(UsageReportDimension.ApiKey))
                    : view.ModelSort.Apply(report.GetGroups(UsageReportDimension.Model));
                foreach (var g in groups)
                {
                    var f = g.Figures;
                    Row(csv, g.Key ?? "", g.Name, I(f.Requests), I(f.TokensIn), I(f.TokensOut), I(f.TokensTotal), Fmt.Exact(Math.Round(f.AudioHours, 6)), Fmt.Exact(f.BilledUsd), Fmt.Exact(f.EstimatedUsd),
                        I(f.States.Error), Fmt.Exact(f.ErrorRate));
                }
                break;
            default:
                throw new DashboardInputException($"table '{table}' is not a table of the export; use time (the default), keys or models.");
        }
        return csv.Written.ToString();
    }

    public static byte[] Json(DashboardView view, UsageDashboardProject? project, string source, UsageDashboardData data)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("project_id", view.ProjectId);
            w.WriteString("project_name", project?.Name ?? view.ProjectId);
            w.WriteString("source", source);
            w.WriteString("range", DashboardView.RangeParam(view.Range));
            w.WriteString("from", view.FromDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("to", view.ToDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("start", Fmt.Iso(view.Start));
            w.WriteString("end", Fmt.Iso(view.End));
            w.WriteString("resolution", view.Resolution == Resolution.Hour ? "hour" : "day");
            w.WriteStartObject("filters");
            foreach (var (dimension, param, _) in DashboardView.FilterParams)
            {
                w.WriteStartArray(param);
                foreach (var v in view.Filters.For(dimension))
                {
                    w.WriteStringValue(v);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            if (data.Note is null)
            {
                w.WriteNull("note");
            }
            else
            {
                w.WriteString("note", data.Note);
            }
            if (data.InvoicedUsd is { } invoiced)
            {
                w.WriteNumber("invoiced_usd", invoiced);
            }
            else
            {
                w.WriteNull("invoiced_usd");
            }
            w.WriteString("invoiced_note", data.InvoicedNote);
            w.WritePropertyName("report");
            data.Report.WriteJson(w);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    public static byte[] Bytes(string text) => Utf8NoBom.GetBytes(text);

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static void Header(CsvRecord csv, string[] columns)
    {
        foreach (var c in columns)
        {
            csv.Field(c);
        }
        csv.EndRecord();
    }

    private static void Row(CsvRecord csv, params string[] cells)
    {
        foreach (var c in cells)
        {
            csv.Field(UsageExport.ProtectCsvCell(c)); // names and tags come from the API: no spreadsheet formulas
        }
        csv.EndRecord();
    }
}
