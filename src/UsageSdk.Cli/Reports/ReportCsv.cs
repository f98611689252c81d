using System.Globalization;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Reports;

namespace UsageSdk.Cli.Reports;

/// <summary>The figures of a report's groups as CSV: one row per group of each dimension asked for, the cost view's rows (dimension billing, billing_day, billing_key, billing_line_item, billing_tag; in billed_usd), then a total row.</summary>
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
        if (report.CostView is { IsAvailable: true } v)
        {
            // The cost view, in the billed_usd column (see CostRows).
            var figures = CostRows(v, report.Reconciliation);
            foreach (var (dimension, key, name, usd) in figures)
            {
                var cells = new string?[Header.Length];
                cells[0] = dimension;
                cells[1] = key ?? "";
                cells[2] = name;
                cells[9] = usd?.ToString(Inv) ?? "";
                await writer.WriteAsync(Line(cells.Select(c => c ?? ""))).ConfigureAwait(false);
            }
        }
        await writer.WriteAsync(Line(Row("total", null, "total", report.Totals))).ConfigureAwait(false); // the total row stays last
    }

    /// <summary>
    /// The cost view as rows (dimension, key, name, usd): dimension <c>billing</c> (keys month_to_date, previous_month,
    /// projected_month_end, projected_low, projected_high, balance_usd, reconciliation_billed,
    /// reconciliation_request_logs, reconciliation_difference), then <c>billing_day</c>, <c>billing_key</c>,
    /// <c>billing_line_item</c> and <c>billing_tag</c> (month to date). A figure the view does not have has no usd.
    /// </summary>
    public static List<(string Dimension, string? Key, string Name, decimal? Usd)> CostRows(UsageCostView v, UsageCostReconciliation? reconciliation)
    {
        var figures = new List<(string Dimension, string? Key, string Name, decimal? Usd)>
        {
            ("billing", "month_to_date", "month to date", v.MonthToDate),
            ("billing", "previous_month", "previous month", v.PreviousMonth),
            ("billing", "projected_month_end", "projected month end", v.ProjectedMonthEnd),
            ("billing", "projected_low", "projected month end, low", v.ProjectedLow),
            ("billing", "projected_high", "projected month end, high", v.ProjectedHigh),
            ("billing", "balance_usd", "balance", v.BalanceUsd),
        };
        if (reconciliation is { } rec)
        {
            var range = $"{rec.Start.ToString("yyyy-MM-dd", Inv)} to {rec.End.ToString("yyyy-MM-dd", Inv)}";
            figures.Add(("billing", "reconciliation_billed", "billed, " + range, rec.BilledUsd));
            figures.Add(("billing", "reconciliation_request_logs", "request logs' usd, " + range, rec.RequestLogUsd));
            figures.Add(("billing", "reconciliation_difference", "billed minus request logs, " + range, rec.Difference));
        }
        figures.AddRange(v.Daily.Select(d => ("billing_day", (string?)d.Key.ToString("yyyy-MM-dd", Inv), d.Key.ToString("yyyy-MM-dd", Inv), (decimal?)d.Value)));
        figures.AddRange(v.ByKey.Select(i => ("billing_key", i.Key, i.Name, (decimal?)i.Usd)));
        figures.AddRange(v.ByLineItem.Select(i => ("billing_line_item", i.Key, i.Name, (decimal?)i.Usd)));
        figures.AddRange(v.ByTag.Select(i => ("billing_tag", i.Key, i.Name, (decimal?)i.Usd)));
        return figures;
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
