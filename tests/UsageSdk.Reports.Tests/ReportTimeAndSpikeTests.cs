using static UsageSdk.Reports.Tests.Infrastructure.ReportData;

namespace UsageSdk.Reports.Tests;

public sealed class ReportTimeAndSpikeTests
{
    [Fact]
    public void Last_millisecond_of_a_day_and_midnight_fall_in_different_hours_and_days()
    {
        var beforeMidnight = new DateTimeOffset(2025, 3, 10, 23, 59, 59, 999, TimeSpan.Zero);
        var midnight = new DateTimeOffset(2025, 3, 11, 0, 0, 0, TimeSpan.Zero);
        var report = new[] { At(beforeMidnight, id: "a"), At(midnight, id: "b") }.ToReport();

        Assert.Equal(2, report.Hourly.Count);
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 23, 0, 0, TimeSpan.Zero), report.Hourly[0].Start);
        Assert.Equal(midnight, report.Hourly[0].End);
        Assert.Equal(1, report.Hourly[0].Figures.Requests);
        Assert.Equal(midnight, report.Hourly[1].Start);
        Assert.Equal(1, report.Hourly[1].Figures.Requests);
        Assert.Equal([1L, 1], report.Daily.Select(d => d.Figures.Requests));
        Assert.Equal([new DateTimeOffset(2025, 3, 10, 0, 0, 0, TimeSpan.Zero), midnight], report.Daily.Select(d => d.Start));
        Assert.Equal(1, report.HourOfDay[23].Requests);
        Assert.Equal(1, report.HourOfDay[0].Requests);
    }

    [Fact]
    public void Buckets_are_utc_whatever_the_offset_of_created()
    {
        // 01:30 at +02:00 is 23:30 UTC the day before; 22:30 at -05:00 is 03:30 UTC the day after.
        var report = new[]
        {
            At(new DateTimeOffset(2025, 3, 11, 1, 30, 0, TimeSpan.FromHours(2)), id: "a"),
            At(new DateTimeOffset(2025, 3, 10, 22, 30, 0, TimeSpan.FromHours(-5)), id: "b"),
        }.ToReport();

        Assert.Equal(new DateTimeOffset(2025, 3, 10, 23, 0, 0, TimeSpan.Zero), report.Start);
        Assert.Equal(TimeSpan.Zero, report.Start!.Value.Offset);
        Assert.Equal(5, report.Hourly.Count); // 23, 00, 01, 02, 03
        Assert.Equal([1L, 0, 0, 0, 1], report.Hourly.Select(h => h.Figures.Requests));
        Assert.Equal([1L, 1], report.Daily.Select(d => d.Figures.Requests));
        Assert.Equal(1, report.HourOfDay[23].Requests);
        Assert.Equal(1, report.HourOfDay[3].Requests);
    }

    [Fact]
    public void Year_end_and_leap_day_boundaries()
    {
        var report = new[]
        {
            At(new DateTimeOffset(2024, 2, 28, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), id: "a"),
            At(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero), id: "b"),
            At(new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero), id: "c"),
            At(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), id: "d"),
        }.ToReport();

        Assert.Equal([1L, 2, 1], report.Daily.Select(d => d.Figures.Requests));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero), report.Daily[1].Start);
        Assert.Equal(3 * 24, report.Daily.Count * 24);
        Assert.Equal(2 + 24, report.Hourly.Count); // 23:00 on the 28th through 00:00 on March 1st

        var yearEnd = new[]
        {
            At(new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), id: "e"),
            At(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), id: "f"),
        }.ToReport();
        Assert.Equal([2024, 2025], yearEnd.Daily.Select(d => d.Start.Year));
    }

    [Fact]
    public void Period_options_add_empty_hours_at_the_edges()
    {
        var options = new UsageReportOptions { Start = T0, End = T0.AddDays(1).AddMinutes(30) };
        var report = new[] { At(T0.AddHours(5), id: "a") }.ToReport(options);

        Assert.Equal(T0, report.Start);
        Assert.Equal(T0.AddDays(1).AddHours(1), report.End); // 00:30 rounds up to 01:00
        Assert.Equal(25, report.Hourly.Count);
        Assert.Equal(2, report.Daily.Count);
        Assert.Equal(1, report.Hourly[5].Figures.Requests);
    }

    private static List<UsageRequest> Hours(params int[] requestsPerHour)
    {
        var list = new List<UsageRequest>();
        for (var h = 0; h < requestsPerHour.Length; h++)
        {
            for (var i = 0; i < requestsPerHour[h]; i++)
            {
                list.Add(At(T0.AddHours(h).AddMinutes(i % 60), tokensIn: 10, usd: 0.01m, id: $"{h}-{i}"));
            }
        }
        return list;
    }

    [Fact]
    public void Spike_above_median_plus_k_scaled_mad()
    {
        // Sorted: 2,2,2,2,2,3,3,3,3,30 → median 2.5; above it 3,3,3,3,30 deviate 0.5 ×4 and 27.5 → upper MAD 0.5.
        // σ̂ = 1.4826 × 0.5 = 0.7413; threshold = 2.5 + 3.5 × 0.7413 = 5.09455.
        var report = Hours(2, 3, 2, 3, 2, 3, 2, 3, 2, 30).ToReport();

        var baseline = report.SpikeBaselines.Single(b => b.Metric == UsageReportMetric.Requests);
        Assert.Equal(2.5m, baseline.Median);
        Assert.Equal(0.5m, baseline.Mad);
        Assert.Equal(0.7413m, baseline.Scale);
        Assert.Equal(5.09455m, baseline.Threshold);
        Assert.Equal(10, baseline.Hours);
        var spike = Assert.Single(report.Spikes, s => s.Metric == UsageReportMetric.Requests);
        Assert.Equal(T0.AddHours(9), spike.Hour);
        Assert.Equal(30m, spike.Value);
        Assert.Equal((30m - 2.5m) / 0.7413m, spike.Score);
        // Tokens (10 per request) and cost (0.01 per request) spike in the same hour.
        Assert.Contains(report.Spikes, s => s.Metric == UsageReportMetric.Tokens && s.Value == 300);
        Assert.Contains(report.Spikes, s => s.Metric == UsageReportMetric.BilledUsd && s.Value == 0.30m);
        Assert.DoesNotContain(report.SpikeBaselines, b => b.Metric == UsageReportMetric.EstimatedUsd); // no estimate at all
    }

    [Fact]
    public void Spread_is_measured_above_the_median_so_quiet_hours_do_not_hide_a_spike()
    {
        // Six empty hours, then 10,10,11,11,12,12,13,20: median 10. The upper side 10..20 deviates 0,0,1,1,2,2,3,10
        // → upper MAD 1.5, σ̂ = 2.2239, threshold 10 + 3.5 × 2.2239 = 17.78365: 20 is a spike. (A two-sided MAD would be
        // 6.5, inflated by the empty hours, and its threshold 43.7 would miss it.)
        var report = Hours(0, 0, 0, 0, 0, 0, 10, 10, 11, 11, 12, 12, 13, 20).ToReport(new UsageReportOptions { Start = T0 });

        var baseline = report.SpikeBaselines.Single(b => b.Metric == UsageReportMetric.Requests);
        Assert.Equal(10m, baseline.Median);
        Assert.Equal(1.5m, baseline.Mad);
        Assert.Equal(17.78365m, baseline.Threshold);
        Assert.Equal([T0.AddHours(13)], report.Spikes.Where(s => s.Metric == UsageReportMetric.Requests).Select(s => s.Hour));
    }

    [Fact]
    public void A_long_tail_above_the_median_widens_the_norm()
    {
        // 1,2,3,4,5,6,8,10,12,12,12: median 6; the upper side 6,8,10,12,12,12 deviates 0,2,4,6,6,6 → upper MAD 5,
        // σ̂ = 7.413, threshold 6 + 3.5 × 7.413 = 31.9455: nothing stands out.
        var report = Hours(1, 2, 3, 4, 5, 6, 8, 10, 12, 12, 12).ToReport();

        Assert.Equal(31.9455m, report.SpikeBaselines.Single(b => b.Metric == UsageReportMetric.Requests).Threshold);
        Assert.Empty(report.Spikes);
    }

    [Fact]
    public void Spike_factor_is_configurable()
    {
        // Same data: with k = 50 the threshold is 2.5 + 50 × 0.7413 = 39.565, above the busiest hour.
        var report = Hours(2, 3, 2, 3, 2, 3, 2, 3, 2, 30).ToReport(new UsageReportOptions { SpikeThreshold = 50 });

        Assert.Equal(39.565m, report.SpikeBaselines.Single(b => b.Metric == UsageReportMetric.Requests).Threshold);
        Assert.Empty(report.Spikes);
    }

    [Fact]
    public void Mad_of_zero_falls_back_to_the_mean_absolute_deviation()
    {
        // 23 hours of 2 and one of 20: median 2, every hour is at or above it, upper MAD 0; mean deviation 18 / 24 = 0.75;
        // σ̂ = 1.2533 × 0.75 = 0.939975;
        // threshold = 2 + 3.5 × 0.939975 = 5.2899125.
        var counts = Enumerable.Repeat(2, 24).ToArray();
        counts[15] = 20;
        var report = Hours(counts).ToReport();

        var baseline = report.SpikeBaselines.Single(b => b.Metric == UsageReportMetric.Requests);
        Assert.Equal(0m, baseline.Mad);
        Assert.Equal(0.939975m, baseline.Scale);
        Assert.Equal(5.2899125m, baseline.Threshold);
        Assert.Equal([T0.AddHours(15)], report.Spikes.Where(s => s.Metric == UsageReportMetric.Requests).Select(s => s.Hour));
    }

    [Fact]
    public void Flat_traffic_has_no_spikes()
    {
        var report = Hours(Enumerable.Repeat(4, 12).ToArray()).ToReport();

        Assert.Equal(0m, report.SpikeBaselines.Single(b => b.Metric == UsageReportMetric.Requests).Scale);
        Assert.Empty(report.Spikes);
    }

    [Fact]
    public void Too_few_hours_are_not_searched_for_spikes()
    {
        var report = Hours(1, 1, 1, 1, 50).ToReport(); // 5 hours < 6

        Assert.Empty(report.SpikeBaselines);
        Assert.Empty(report.Spikes);
    }

    [Fact]
    public void Daily_project_budget_lists_the_days_over_it()
    {
        var options = new UsageReportOptions();
        options.Budgets.Add(new UsageBudget { Name = "daily cap", MaxUsd = 1.00m });
        var report = SixRequests().ToReport(options);

        // Day 0: 0.50 + 0.25 = 0.75 (under); day 1: 1.25 (over).
        var breach = Assert.Single(report.BudgetBreaches);
        Assert.Equal(new DateOnly(2025, 3, 11), breach.Day);
        Assert.Null(breach.ApiKey);
        Assert.Equal(UsageReportMetric.BilledUsd, breach.Metric);
        Assert.Equal(1.00m, breach.Limit);
        Assert.Equal(1.25m, breach.Actual);
        Assert.False(breach.IncludesEstimate);
    }

    [Fact]
    public void Per_key_budgets_per_day_and_over_the_report()
    {
        var options = new UsageReportOptions();
        options.Budgets.Add(new UsageBudget { MaxTokens = 1000, PerApiKey = true });                 // per key per day
        options.Budgets.Add(new UsageBudget { MaxUsd = 0.30m, PerApiKey = true, Period = UsageBudgetPeriod.Report });
        options.Budgets.Add(new UsageBudget { MaxUsd = 0.10m, ApiKey = "K2", Period = UsageBudgetPeriod.Report }); // one key only
        var report = SixRequests().ToReport(options);

        // k1 on day 0: r1 175 + r2 1300 = 1475 tokens; over the report k1 billed 0.50, no key 1.25, k2 0.25.
        Assert.Equal(
            [
                "Tokens k1 2025-03-10 1000 1475",
                "BilledUsd k1 - 0.30 0.50",
                "BilledUsd (project) - 0.30 1.25",
                "BilledUsd k2 - 0.10 0.25",
            ],
            report.BudgetBreaches.Select(b => FormattableString.Invariant($"{b.Metric} {b.ApiKey ?? "(project)"} {(b.Day is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "-")} {b.Limit} {b.Actual}")));
    }

    [Fact]
    public void Budget_counts_the_estimate_only_when_asked_and_says_so()
    {
        var prices = new UsagePriceTable([new(M2, new UsageModelPrice { PerMillionInputTokens = 2m, PerMillionOutputTokens = 8m })]);
        var billedOnly = new UsageReportOptions { Prices = prices };
        billedOnly.Budgets.Add(new UsageBudget { MaxUsd = 0.75m });
        var withEstimate = new UsageReportOptions { Prices = prices };
        withEstimate.Budgets.Add(new UsageBudget { MaxUsd = 0.75m, IncludeEstimatedUsd = true });

        // Day 0 billed 0.75 (not over 0.75); with r2's estimate 0.0044 it is 0.7544. Day 1 is 1.25 either way.
        Assert.Equal([new DateOnly(2025, 3, 11)], SixRequests().ToReport(billedOnly).BudgetBreaches.Select(b => b.Day!.Value));
        var breaches = SixRequests().ToReport(withEstimate).BudgetBreaches;
        Assert.Equal(2, breaches.Count);
        Assert.Equal(0.7544m, breaches[0].Actual);
        Assert.True(breaches[0].IncludesEstimate);
    }
}
