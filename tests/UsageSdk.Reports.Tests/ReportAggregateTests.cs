using static UsageSdk.Reports.Tests.Infrastructure.ReportData;

namespace UsageSdk.Reports.Tests;

public sealed class ReportAggregateTests
{
    [Fact]
    public void Totals_match_hand_computed_values()
    {
        var report = SixRequests().ToReport();
        var t = report.Totals;

        Assert.Equal(UsageReportSource.Requests, report.Source);
        Assert.Equal(6, t.Requests);
        Assert.Equal(1150, t.TokensIn);          // 100 + 50 + 1000
        Assert.Equal(325, t.TokensOut);          // 20 + 5 + 300
        Assert.Equal(1475, t.TokensTotal);
        Assert.Equal(2, t.RequestsWithTokens);
        Assert.Equal(5400, t.AudioSeconds);      // 1800 + 3600
        Assert.Equal(1.5, t.AudioHours);
        Assert.Equal(500, t.TtsCharacters);      // 300 + 200
        Assert.Equal(2.00m, t.BilledUsd);        // 0.50 + 0.25 + 1.25, exact
        Assert.Equal(3, t.BilledRequests);
        Assert.Equal(3, t.RequestsWithoutUsd);   // r2 (no usd), r4 (error), r5 (pending)
        Assert.Equal(0m, t.EstimatedUsd);
        Assert.Equal(0, t.EstimatedRequests);
        Assert.Equal(3, t.UnpricedRequests);
        Assert.Equal(4, t.States.Success);
        Assert.Equal(1, t.States.Error);
        Assert.Equal(1, t.States.Pending);
        Assert.Equal(0, t.States.Unknown);
        Assert.Equal(0, t.States.Lost);
        Assert.Equal(1, t.States[RequestLogState.Error]);
        Assert.Equal(0.2, t.ErrorRate);          // 1 error / (1 error + 4 success); the pending one is left out
        Assert.Equal(1475d / 6, t.TokensPerRequest);
        Assert.Equal(325d / 1150, t.OutputInputRatio);
        Assert.Equal(2.00m / 3 * 1000, t.BilledUsdPer1000Requests);
        Assert.Null(t.EstimatedUsdPer1000Requests);
        Assert.Equal(T0.AddHours(10).AddMinutes(15), report.FirstRequest);
        Assert.Equal(T0.AddDays(1).AddHours(3), report.LastRequest);
    }

    [Fact]
    public void Groups_per_key_use_api_key_id_then_accessor()
    {
        var report = SixRequests().ToReport();

        Assert.Equal(["k1", "k2", null], report.ByApiKey.Select(g => g.Key));
        var k1 = report.Group(UsageReportDimension.ApiKey, "k1").Figures;
        Assert.Equal(3, k1.Requests);            // r1, r2, r5
        Assert.Equal(1150, k1.TokensIn);         // r1 150 + r2 1000
        Assert.Equal(0.50m, k1.BilledUsd);
        Assert.Equal(1, k1.States.Pending);
        var k2 = report.Group(UsageReportDimension.ApiKey, "k2").Figures;
        Assert.Equal(2, k2.Requests);            // r3 (accessor only) and r4
        Assert.Equal(0.25m, k2.BilledUsd);
        Assert.Equal(500, k2.TtsCharacters);
        Assert.Equal(0.5, k2.ErrorRate);
        var none = report.Group(UsageReportDimension.ApiKey, null);
        Assert.Equal("(none)", none.Name);
        Assert.Equal(1.25m, none.Figures.BilledUsd);
    }

    [Fact]
    public void Tags_count_a_request_in_each_of_its_tags_once()
    {
        var report = SixRequests().ToReport();

        var prod = report.Group(UsageReportDimension.Tag, "prod").Figures;
        Assert.Equal(2, prod.Requests);          // r1, r2
        Assert.Equal(1150, prod.TokensIn);
        var team = report.Group(UsageReportDimension.Tag, "team:a").Figures;
        Assert.Equal(2, team.Requests);          // r1 and r6 (r6 lists team:a twice, counted once)
        Assert.Equal(1.75m, team.BilledUsd);
        Assert.Equal(3, report.Group(UsageReportDimension.Tag, null).Figures.Requests); // r3, r4, r5
        Assert.Equal(7, report.ByTag.Sum(g => g.Figures.Requests)); // more than the 6 requests: r1 is in two tags
    }

    [Fact]
    public void Models_methods_endpoints_and_deployments_are_grouped()
    {
        var report = SixRequests().ToReport();

        Assert.Equal(1, report.Group(UsageReportDimension.Model, M1).Figures.Requests);
        Assert.Equal(1, report.Group(UsageReportDimension.Model, M2).Figures.Requests);
        Assert.Equal(1, report.Group(UsageReportDimension.Model, M3).Figures.Requests);
        Assert.Equal(3, report.Group(UsageReportDimension.Model, null).Figures.Requests); // r4, r5 (no details), r6 (no model)

        Assert.Equal(2, report.Group(UsageReportDimension.Method, "sync").Figures.Requests);
        Assert.Equal(2, report.Group(UsageReportDimension.Method, "streaming").Figures.Requests);
        Assert.Equal(2, report.Group(UsageReportDimension.Method, null).Figures.Requests);

        Assert.Equal([("listen", 3L), ("agent", 1L), ("read", 1L), ("speak", 1L)], report.ByEndpoint.Select(g => (g.Key!, g.Figures.Requests)));
        Assert.Equal(5, report.Group(UsageReportDimension.Deployment, "hosted").Figures.Requests);
        Assert.Equal(1, report.Group(UsageReportDimension.Deployment, null).Figures.Requests);
    }

    [Fact]
    public void Series_peak_and_hour_of_day()
    {
        var report = SixRequests().ToReport();

        Assert.Equal(T0.AddHours(10), report.Start);
        Assert.Equal(T0.AddDays(1).AddHours(4), report.End);
        Assert.Equal(18, report.Hourly.Count);   // 10:00 on day 0 to 03:00 on day 1, empty hours included
        Assert.Equal([2L, 2, 1, 0], report.Hourly.Take(4).Select(h => h.Figures.Requests));
        Assert.Equal(1, report.Hourly[^1].Figures.Requests);
        Assert.Equal(6, report.Hourly.Sum(h => h.Figures.Requests));
        Assert.Equal([5L, 1], report.Daily.Select(d => d.Figures.Requests));
        Assert.Equal(0.75m, report.Daily[0].Figures.BilledUsd);
        Assert.Equal(24, report.HourOfDay.Count);
        Assert.Equal(1, report.HourOfDay[3].Requests);
        Assert.Equal(2, report.HourOfDay[10].Requests);
        Assert.Equal(2, report.HourOfDay[11].Requests);
        Assert.Equal(1, report.HourOfDay[12].Requests);
        Assert.Equal(T0.AddHours(10), report.PeakHour!.Start); // tie with 11:00: the earliest wins
        Assert.Equal(10, report.PeakHourOfDay);
    }

    [Fact]
    public void Top_ranks_by_the_chosen_metric()
    {
        var report = SixRequests().ToReport(new UsageReportOptions { TopCount = 2 });

        Assert.Equal(["k1", "k2"], report.TopApiKeys.Select(g => g.Key));
        Assert.Equal([null, "k1"], report.Top(UsageReportDimension.ApiKey, 2, UsageReportMetric.BilledUsd).Select(g => g.Key));
        Assert.Equal([null, M1], report.TopModels.Select(g => g.Key)); // 3 requests without a model, then by name
        Assert.Equal([M2], report.Top(UsageReportDimension.Model, 1, UsageReportMetric.TokensIn).Select(g => g.Key));
    }

    [Fact]
    public void Names_label_keys_and_models()
    {
        var options = new UsageReportOptions();
        options.Names.Models[M1.ToUpperInvariant()] = "nova-3";
        options.Names.Keys["k1"] = "web-backend";
        var report = SixRequests().ToReport(options);

        Assert.Equal("nova-3", report.Group(UsageReportDimension.Model, M1).Name);
        Assert.Equal(M2, report.Group(UsageReportDimension.Model, M2).Name);
        Assert.Equal("web-backend", report.Group(UsageReportDimension.ApiKey, "k1").Name);
    }

    [Fact]
    public void Empty_input_gives_an_empty_report()
    {
        var report = Array.Empty<UsageRequest>().ToReport();

        Assert.Equal(0, report.Totals.Requests);
        Assert.Null(report.Start);
        Assert.Empty(report.Hourly);
        Assert.Empty(report.Daily);
        Assert.Null(report.PeakHour);
        Assert.Null(report.PeakHourOfDay);
        Assert.Empty(report.Spikes);
        Assert.Empty(report.ByApiKey);
        Assert.Equal(0, report.Totals.ErrorRate);
        Assert.Null(report.Totals.OutputInputRatio);
    }

    [Fact]
    public void Builder_snapshots_do_not_change_when_more_requests_arrive()
    {
        var builder = new UsageReportBuilder();
        var data = SixRequests();
        builder.AddRange(data.Take(3));
        var first = builder.Build();
        builder.AddRange(data.Skip(3));
        var second = builder.Build();

        Assert.Equal(3, first.Totals.Requests);
        Assert.Equal(0.75m, first.Totals.BilledUsd);
        Assert.Equal(6, second.Totals.Requests);
        Assert.Equal(6, builder.Count);
    }

    [Fact]
    public async Task ToReportAsync_streams_an_async_pageable()
    {
        var data = SixRequests();
        var pages = AsyncPageable<UsageRequest>.FromPages([Page<UsageRequest>.FromValues(data.Take(4).ToList(), "1"), Page<UsageRequest>.FromValues(data.Skip(4).ToList(), null)]);

        var report = await pages.ToReportAsync();

        Assert.Equal(6, report.Totals.Requests);
        Assert.Equal(2.00m, report.Totals.BilledUsd);
    }

    /// <summary>
    /// The token stops the reading even when the source ignores it: the source below is an iterator without
    /// <c>[EnumeratorCancellation]</c>, so the token never reaches it and only ToReportAsync's own check can stop it.
    /// </summary>
    [Fact]
    public async Task ToReportAsync_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var read = 0;
        async IAsyncEnumerable<UsageRequest> IgnoresTheToken()
        {
            foreach (var r in SixRequests())
            {
                await Task.Yield();
                if (++read == 3)
                {
                    await cts.CancelAsync(); // the caller cancels while the third request is read
                }
                yield return r;
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IgnoresTheToken().ToReportAsync(null, cts.Token));
        Assert.Equal(3, read); // stopped there: the other three were never read

        // A source that does take the token (a listing) stops too.
        var pages = AsyncPageable<UsageRequest>.FromPages([Page<UsageRequest>.FromValues(SixRequests(), null)]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pages.ToReportAsync(null, cts.Token));
    }

    [Fact]
    public void Options_are_validated_with_a_message()
    {
        var e = Assert.Throws<ArgumentException>(() => new UsageReportBuilder(new UsageReportOptions { SpikeThreshold = 0 }));
        Assert.Contains("SpikeThreshold", e.Message);
        Assert.Throws<ArgumentException>(() => new UsageReportBuilder(new UsageReportOptions { TopCount = 0 }));
        Assert.Throws<ArgumentException>(() => new UsageReportBuilder(new UsageReportOptions { Start = T0, End = T0 }));
        var b = new UsageReportOptions();
        b.Budgets.Add(new UsageBudget());
        Assert.Contains("MaxUsd", Assert.Throws<ArgumentException>(() => new UsageReportBuilder(b)).Message);
    }
}
