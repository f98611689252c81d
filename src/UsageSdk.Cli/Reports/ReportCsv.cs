using System.Globalization;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Reports;

namespace UsageSdk.Cli.Reports;

/// <summary>The figures of a report's groups as CSV: one row per group of each dimension asked for, then a total row.</summary>
internal static class ReportCsv
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] Header =
    [
        "dimension", "key", "name", "requests", "tokens_in", "tokens_out", "tokens_total", "audio_hours", "tts_characters",
        "billed_usd", "billed_requests", "requests_without_usd", "estimated_usd", "estimated_requests", "unpriced_requests",
        "success", "error", "pending", "unknown", "lost", "error_rate",
    ];

    /// <param name="writer">The output.</param>
    /// <param name="report">The report.</param>
    /// <param name="dimensions">The dimensions to list.</param>
    /// <param name="top">Rows per dimension, or all.</param>
    /// <param name="projectId">With --all-projects: every row starts with this project_id column.</param>
    /// <param name="header">Whether to write the header row (once for several projects).</param>
    public static async Task WriteAsync(TextWriter writer, UsageReport report, IReadOnlyList<UsageReportDimension> dimensions, int? top, string? projectId = null, bool header = true)
    {
        if (header)
        {
            await writer.WriteAsync(Csv.Row(projectId is null ? Header : ["project_id", .. Header])).ConfigureAwait(false);
        }
        string Line(IEnumerable<string?> cells) => Csv.Row(projectId is null ? cells : cells.Prepend(projectId));
        foreach (var d in dimensions)
        {
            IEnumerable<UsageReportGroup> groups = report.GetGroups(d);
            if (top is { } n)
            {
                groups = groups.Take(n);
            }
            foreach (var g in groups)
            {
                await writer.WriteAsync(Line(Row(DimensionName(d), g.Key, g.Name, g.Figures))).ConfigureAwait(false);
            }
        }
        await writer.WriteAsync(Line(Row("total", null, "total", report.Totals))).ConfigureAwait(false);
    }

    public static string DimensionName(UsageReportDimension d) => d switch
    {
        UsageReportDimension.ApiKey => "key",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static IEnumerable<string?> Row(string dimension, string? key, string name, UsageFigures f) =>
    [
        dimension, key ?? "", name, N(f.Requests), N(f.TokensIn), N(f.TokensOut), N(f.TokensTotal),
        f.AudioHours.ToString("0.######", Inv), N(f.TtsCharacters),
        f.BilledUsd.ToString(Inv), N(f.BilledRequests), N(f.RequestsWithoutUsd),
        decimal.Round(f.EstimatedUsd, 6).ToString(Inv), N(f.EstimatedRequests), N(f.UnpricedRequests),
        N(f.States.Success), N(f.States.Error), N(f.States.Pending), N(f.States.Unknown), N(f.States.Lost),
        f.ErrorRate.ToString("0.######", Inv),
    ];

    private static string N(long v) => v.ToString(Inv);
}
