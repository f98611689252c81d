using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Reports.Tests;

/// <summary>Issue 22.4 and 22.2: the cost view from the billing breakdown, and per-model billed cost from line items.</summary>
public sealed class ReportCostViewTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 0, 0, TimeSpan.Zero);

    private static DateOnly D(int month, int day) => new(2025, month, day);

    /// <summary>February $1 a day (key a1, nova-3, prod); March 1–13 $2 a day but $9 on the 13th; today $4 (a2, agent, prod+beta).</summary>
    private static BillingBreakdown Breakdown(DateOnly start)
    {
        var results = new List<BillingResult>();
        for (var d = D(2, 1); d <= D(3, 13); d = d.AddDays(1))
        {
            if (d < start)
            {
                continue;
            }
            var usd = d.Month == 2 ? 1m : d == D(3, 13) ? 9m : 2m;
            results.Add(F.BillingResult(usd, F.BillingBreakdownGrouping(d, d, accessor: "a1", lineItem: "sync::nova-3", tags: ["prod"])));
        }
        results.Add(F.BillingResult(4m, F.BillingBreakdownGrouping(D(3, 14), D(3, 14), accessor: "a2", lineItem: "streaming::agent-x", tags: ["prod", "beta"])));
        return F.BillingBreakdown(start, D(3, 14), results: results);
    }

    [Fact]
    public void Month_to_date_previous_month_and_groups_come_from_the_breakdown()
    {
        var names = new UsageNames();
        names.Keys["a1"] = "web-backend";
        var view = UsageCostView.Create(Breakdown(D(2, 1)), Now, [F.ProjectBalance("b", 206.5m), F.ProjectBalance("h", 12m, "hour")], names);

        Assert.True(view.IsAvailable);
        Assert.Equal(D(3, 14), view.Today);
        Assert.Equal(42, view.Daily.Count); // Feb 1 to Mar 14, every day
        Assert.Equal(9m, view.Daily.Single(d => d.Key == D(3, 13)).Value);
        Assert.Equal(37m, view.MonthToDate); // 12 × $2 + $9 + today's $4
        Assert.Equal(28m, view.PreviousMonth);
        Assert.Equal([("a1", "web-backend", 33m), ("a2", "a2", 4m)], view.ByKey.Select(i => (i.Key, i.Name, i.Usd)));
        Assert.Equal([("sync::nova-3", 33m), ("streaming::agent-x", 4m)], view.ByLineItem.Select(i => (i.Key, i.Usd)));
        Assert.Equal([("prod", 37m), ("beta", 4m)], view.ByTag.Select(i => (i.Key, i.Usd)));
        Assert.Equal(206.5m, view.BalanceUsd); // the hours balance is not dollars
        Assert.Equal(2, view.Balances.Count);
    }

    [Fact]
    public void Projection_is_full_days_plus_the_mean_of_the_last_seven_full_days_times_the_days_left()
    {
        var view = UsageCostView.Create(Breakdown(D(2, 1)), Now);

        // Trend: Mar 7–13 = 6 × $2 + $9 = $21 → $3/day; 13 full days ($33) + 18 days left (14th–31st).
        Assert.Equal(7, view.TrendDays);
        Assert.Equal(3m, view.DailyRate);
        Assert.Equal(33m + (3m * 18), view.ProjectedMonthEnd);
        Assert.Equal(33m + (2m * 18), view.ProjectedLow);
        Assert.Equal(33m + (9m * 18), view.ProjectedHigh);
        Assert.Contains("mean of the last 7 full days ($3.00/day) × 18 days left", view.ProjectionNote, StringComparison.Ordinal);

        var shortTrend = UsageCostView.Create(Breakdown(D(2, 1)), Now, trendDays: 1);
        Assert.Equal(33m + (9m * 18), shortTrend.ProjectedMonthEnd);
        Assert.Throws<ArgumentOutOfRangeException>(() => UsageCostView.Create(Breakdown(D(2, 1)), Now, trendDays: 0));
    }

    [Fact]
    public void Previous_month_is_null_when_not_covered_and_no_projection_without_a_full_day()
    {
        var view = UsageCostView.Create(Breakdown(D(3, 1)), Now);
        Assert.Null(view.PreviousMonth);
        Assert.Equal(37m, view.MonthToDate);

        var todayOnly = UsageCostView.Create(F.BillingBreakdown(D(3, 14), D(3, 14), results: [F.BillingResult(4m, F.BillingBreakdownGrouping(D(3, 14), D(3, 14)))]), Now);
        Assert.Null(todayOnly.ProjectedMonthEnd);
        Assert.Null(todayOnly.ProjectionNote);
        Assert.Equal(0, todayOnly.TrendDays);
        Assert.Empty(todayOnly.ByKey);
        Assert.False(todayOnly.HasLineItems);
    }

    [Fact]
    public void Line_items_map_to_models_by_the_part_after_the_last_double_colon()
    {
        Assert.Equal("nova-3", UsageCostView.ModelOfLineItem("streaming::nova-3"));
        Assert.Equal("aura-2-thalia-en", UsageCostView.ModelOfLineItem("a::b::aura-2-thalia-en"));
        Assert.Equal("flat-fee", UsageCostView.ModelOfLineItem("flat-fee"));

        var view = UsageCostView.Create(Breakdown(D(2, 1)), Now);
        Assert.Equal(new Dictionary<string, decimal> { ["nova-3"] = (11 * 2m) + 9m, ["agent-x"] = 4m }, view.GetModelCosts(D(3, 2), D(3, 14)));
        Assert.Equal(28m + 24m + 9m + 4m, view.BilledBetween(D(2, 1), D(3, 14)));
    }

    [Fact]
    public void Unavailable_view_carries_its_reason_into_json()
    {
        var view = UsageCostView.Unavailable("billing isn't readable with this API key (403)", Now);
        var options = new UsageReportOptions { Start = Now.AddDays(-1), End = Now }.UseBilling(view);

        var report = UsageReport.FromRequests([], options);

        Assert.False(view.IsAvailable);
        Assert.False(report.ModelCostsAreBilled);
        Assert.Null(report.Reconciliation);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        var cost = json.RootElement.GetProperty("cost_view");
        Assert.False(cost.GetProperty("available").GetBoolean());
        Assert.Equal("billing isn't readable with this API key (403)", cost.GetProperty("reason").GetString());
        Assert.Throws<ArgumentException>(() => UsageCostView.Unavailable(" ", Now));
    }

    [Fact]
    public async Task On_the_demo_billing_reconciles_with_the_logs_and_per_model_cost_adds_up()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Now) });
        var client = api.CreateClient();
        var project = FakeUsageApi.DemoProjectId;
        var start = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-6);
        var breakdown = await client.GetBillingBreakdownAsync(project, UsageCostView.CreateQuery(Now, DateOnly.FromDateTime(start.UtcDateTime)));
        var view = UsageCostView.Create(breakdown, Now, await client.GetBalancesAsync(project));
        var options = new UsageReportOptions { Start = start, End = Now };
        foreach (var m in api.Models)
        {
            options.Names.Models[m.ModelId] = m.Name;
        }
        options.UseBilling(view);

        var report = await client.GetRequestsAsync(project, new RequestsQuery().Between(start, Now)).ToReportAsync(options);

        Assert.Equal(D(2, 1), view.Start);
        Assert.True(report.Totals.BilledUsd > 10m);
        var rec = Assert.IsType<UsageCostReconciliation>(report.Reconciliation);
        Assert.Equal((D(3, 8), D(3, 14)), (rec.Start, rec.End));
        Assert.Equal(report.Totals.BilledUsd, rec.RequestLogUsd);
        Assert.Equal(0m, rec.Difference);
        Assert.Contains("difference $0.00", rec.ToString(), StringComparison.Ordinal);

        Assert.True(report.ModelCostsAreBilled);
        Assert.InRange(report.ByModel.Sum(g => g.Figures.BilledUsd) - report.Totals.BilledUsd, -0.01m, 0.01m);
        Assert.DoesNotContain(UsageReportMetric.BilledUsd, report.GetOverlappingMetrics(UsageReportDimension.Model));
        Assert.Equal(0m, report.UnsplitModelUsd);
        Assert.Contains("billed cost (from the billing line items)", report.GetOverlapNote(UsageReportDimension.Model), StringComparison.Ordinal);

        // Without billing the same report's per-model cost overlaps (voice agents list several models).
        var plain = await client.GetRequestsAsync(project, new RequestsQuery().Between(start, Now)).ToReportAsync(new UsageReportOptions { Start = start, End = Now });
        Assert.Contains(UsageReportMetric.BilledUsd, plain.GetOverlappingMetrics(UsageReportDimension.Model));
        Assert.True(plain.ByModel.Sum(g => g.Figures.BilledUsd) > plain.Totals.BilledUsd + 1m);

        // The view's month to date equals the logs' usd since the 1st (the fake bills exactly the logs).
        var logsMtd = api.GetRequests(project).Where(r => r.Created >= new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero)).Sum(r => r.Response?.Details?.Usd ?? 0m);
        Assert.Equal(logsMtd, view.MonthToDate);
        Assert.NotNull(view.BalanceUsd);
    }
}
