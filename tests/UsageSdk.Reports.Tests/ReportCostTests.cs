using static UsageSdk.Reports.Tests.Infrastructure.ReportData;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Reports.Tests;

public sealed class ReportCostTests
{
    private static UsagePriceTable M2Prices() => UsagePriceTable.Parse($$"""
        { "source": "test prices", "models": { "{{M2}}": { "per_million_input_tokens": 2, "per_million_output_tokens": 8 } } }
        """);

    [Fact]
    public void Estimate_is_kept_apart_from_billed_cost()
    {
        var without = SixRequests().ToReport();
        var with = SixRequests().ToReport(new UsageReportOptions { Prices = M2Prices() });

        // r2 (m2, no usd): 1000 × 2 / 1M + 300 × 8 / 1M = 0.002 + 0.0024 = 0.0044.
        Assert.Equal(0.0044m, with.Totals.EstimatedUsd);
        Assert.Equal(1, with.Totals.EstimatedRequests);
        Assert.Equal(2, with.Totals.UnpricedRequests); // r4 (error, no model), r5 (pending)
        Assert.Equal(3, with.Totals.RequestsWithoutUsd);
        Assert.Equal(without.Totals.BilledUsd, with.Totals.BilledUsd);
        Assert.Equal(2.00m, with.Totals.BilledUsd);
        Assert.Equal(without.Daily.Select(d => d.Figures.BilledUsd), with.Daily.Select(d => d.Figures.BilledUsd));
        Assert.Equal(without.ByApiKey.Select(g => g.Figures.BilledUsd), with.ByApiKey.Select(g => g.Figures.BilledUsd));
        Assert.Equal(0.0044m, with.Group(UsageReportDimension.Model, M2).Figures.EstimatedUsd);
        Assert.Equal(0m, with.Group(UsageReportDimension.Model, M2).Figures.BilledUsd);
        Assert.Equal(4.4m, with.Totals.EstimatedUsdPer1000Requests);
        Assert.True(with.HasEstimates);
        Assert.False(without.HasEstimates);
        Assert.Equal("test prices", with.PriceSource);
    }

    [Fact]
    public void Requests_with_usd_are_never_estimated()
    {
        var prices = new UsagePriceTable([new("*", new UsageModelPrice { PerAudioHour = 100m, PerMillionInputTokens = 1000m })]);
        var report = SixRequests().ToReport(new UsageReportOptions { Prices = prices });

        // r1 has usd 0.50 and 1800 s of audio: its billed cost stays, no estimate is added for it.
        Assert.Equal(0.50m, report.Group(UsageReportDimension.Model, M1).Figures.BilledUsd);
        Assert.Equal(0m, report.Group(UsageReportDimension.Model, M1).Figures.EstimatedUsd);
        // The "*" price covers r2, r4 and r5; only r2 has usage: 1000 input tokens × 1000 / 1M = 1.
        Assert.Equal(1m, report.Totals.EstimatedUsd);
        Assert.Equal(3, report.Totals.EstimatedRequests);
        Assert.Equal(0, report.Totals.UnpricedRequests);
        Assert.Equal(2.00m, report.Totals.BilledUsd);
    }

    [Fact]
    public void Audio_tokens_and_characters_are_priced_per_model()
    {
        var created = T0;
        var request = F.UsageRequest("x", "p", created, "/v1/agent/converse", "k", "k", Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: null, totalAudio: 5400, models: ["unpriced", M1]), 200,
                tokenDetails: [F.TokenDetail("agent", 2_000_000, 500_000, "gpt"), F.TokenDetail("other", 1_000_000, 0)],
                ttsDetails: F.TtsDetails(10, [F.SpeechSegment(250_000, "aura")])));
        var prices = new UsagePriceTable(
        [
            new(M1, new UsageModelPrice { PerAudioHour = 0.30m, PerMillionInputTokens = 0.10m, PerMillionCharacters = 4m }),
            new("GPT", new UsageModelPrice { PerMillionInputTokens = 0.15m, PerMillionOutputTokens = 0.60m }),
            new("aura", new UsageModelPrice { PerMillionCharacters = 30m }),
        ]);

        var report = new[] { request }.ToReport(new UsageReportOptions { Prices = prices });

        // audio 1.5 h × 0.30 = 0.45; gpt 2M × 0.15/M + 0.5M × 0.60/M = 0.30 + 0.30; the other detail falls back to the
        // request's model M1: 1M × 0.10/M = 0.10; aura 250k × 30/M = 7.50. Total 8.65.
        Assert.Equal(8.65m, report.Totals.EstimatedUsd);
        Assert.Equal(0m, report.Totals.BilledUsd);
    }

    [Fact]
    public void Voice_agent_audio_is_priced_at_its_dearest_model()
    {
        // An agent request lists its speech (0.258/h), voice (characters only) and agent (4.80/h) models:
        // half an hour at 4.80/h = 2.40. Its LLM tokens have no price of their own, and none of its models prices
        // tokens, so they add nothing.
        var request = F.UsageRequest("x", "p", T0, "/v1/agent/converse", "k", "k", Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: null, totalAudio: 1800, models: [M1, M2, M3]), 200,
                tokenDetails: [F.TokenDetail("agent", 5000, 700, "gpt-4o-mini")]));
        var options = new UsageReportOptions
        {
            Prices = new UsagePriceTable(
            [
                new(M1, new UsageModelPrice { PerAudioHour = 0.258m }),
                new(M2, new UsageModelPrice { PerMillionCharacters = 30m }),
                new(M3, new UsageModelPrice { PerAudioHour = 4.80m }),
            ]),
        };

        Assert.Equal(2.40m, new[] { request }.ToReport(options).Totals.EstimatedUsd);
    }

    [Fact]
    public void Price_table_keys_can_be_model_names()
    {
        var request = F.UsageRequest("x", "p", T0, "/v1/listen", "k", "k", Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: null, totalAudio: 1800, models: [M1]), 200));
        var options = new UsageReportOptions { Prices = UsagePriceTable.Parse("""{ "models": { "nova-3": { "per_audio_hour": 0.6 } } }""") };

        Assert.Equal(1, new[] { request }.ToReport(options).Totals.UnpricedRequests); // the id is not in the table
        options.Names.Models[M1] = "nova-3"; // as GetFieldsAsync names the ids
        Assert.Equal(0.3m, new[] { request }.ToReport(options).Totals.EstimatedUsd);
    }

    [Fact]
    public void Zero_usd_is_billed_zero_and_estimated_only_when_asked()
    {
        var request = F.UsageRequest("x", "p", T0, "/v1/listen", "k", "k", Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: 0m, totalAudio: 3600, models: [M1]), 200));
        var prices = new UsagePriceTable([new(M1, new UsageModelPrice { PerAudioHour = 0.5m })]);

        var plain = new[] { request }.ToReport(new UsageReportOptions { Prices = prices });
        var contract = new[] { request }.ToReport(new UsageReportOptions { Prices = prices, EstimateWhenUsdIsZero = true });

        Assert.Equal((0m, 1L, 0m, 0L), (plain.Totals.BilledUsd, plain.Totals.BilledRequests, plain.Totals.EstimatedUsd, plain.Totals.EstimatedRequests));
        Assert.Equal((0m, 1L, 0.5m, 1L), (contract.Totals.BilledUsd, contract.Totals.BilledRequests, contract.Totals.EstimatedUsd, contract.Totals.EstimatedRequests));
        Assert.Equal(0, contract.Totals.UnpricedRequests);
    }

    [Fact]
    public void Billed_cost_is_an_exact_decimal_sum()
    {
        // 0.1 added ten thousand times is exactly 1000 in decimal (it would not be in double).
        var requests = Enumerable.Range(0, 10_000).Select(i => At(T0.AddSeconds(i), usd: 0.1m, id: i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(1000m, requests.ToReport().Totals.BilledUsd);
    }

    [Fact]
    public void Price_table_parses_json_with_comments_and_exact_decimals()
    {
        var table = UsagePriceTable.Parse("""
            {
              // list prices
              "source": "list prices, August 2026",
              "currency": "usd",
              "models": {
                "nova-3": { "per_audio_hour": 0.258 },
                "gpt-4o-mini": { "per_million_input_tokens": "0.15", "per_million_output_tokens": 0.6 },
                "*": { "per_million_characters": 30 },
              }
            }
            """);

        Assert.Equal("list prices, August 2026", table.Source);
        Assert.Equal(0.258m, table.Find("NOVA-3")!.PerAudioHour);
        Assert.Equal(0.15m, table.Find("gpt-4o-mini")!.PerMillionInputTokens);
        Assert.Null(table.Find("gpt-4o-mini")!.PerAudioHour);
        Assert.Equal(30m, table.Find("anything")!.PerMillionCharacters);
        Assert.Equal(3, table.Models.Count);
    }

    [Theory]
    [InlineData("""{ "models": { "m": { "per_audio_hours": 1 } } }""", "per_audio_hours")]
    [InlineData("""{ "models": { "m": { "per_audio_hour": -1 } } }""", "zero or more")]
    [InlineData("""{ "models": { "m": { } } }""", "has no price")]
    [InlineData("""{ "models": { "m": null } }""", "is null")]
    [InlineData("""{ "currency": "EUR", "models": { } }""", "USD")]
    [InlineData("""{ "source": "x" }""", "\"models\"")]
    [InlineData("""{ "models": { "m": { "per_audio_hour": "cheap" } } }""", "not valid")]
    [InlineData("""not json""", "not valid")]
    [InlineData("""{ "models": { "": { "per_audio_hour": 1 } } }""", "empty")]
    public void Price_table_errors_say_what_is_wrong(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => UsagePriceTable.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Price_table_file_errors_name_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "models": { "m": { "per_hour": 1 } } }""");
        try
        {
            var e = Assert.Throws<FormatException>(() => UsagePriceTable.Load(path));
            Assert.StartsWith(path + ":", e.Message);
            Assert.Contains("per_hour", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Price_table_loads_from_a_stream()
    {
        using var stream = new MemoryStream("""{ "models": { "m": { "per_audio_hour": 0.0043 } } }"""u8.ToArray());

        var table = await UsagePriceTable.LoadAsync(stream);

        Assert.Equal(0.0043m, table.Find("m")!.PerAudioHour);
        Assert.Null(table.Find("other"));
    }

    [Fact]
    public void Report_from_a_breakdown_grouped_by_models()
    {
        var d1 = new DateOnly(2025, 1, 16);
        var d2 = new DateOnly(2025, 1, 17);
        var breakdown = F.UsageBreakdown(d1, d2, F.UsageResolution(), [
            F.UsageBreakdownResult(hours: 1.0, totalHours: 1.5, tokensIn: 100, tokensOut: 10, ttsCharacters: 0, requests: 40, grouping: F.UsageBreakdownGrouping(d1, d1, models: [M1])),
            F.UsageBreakdownResult(hours: 2.0, totalHours: 2.0, tokensIn: 0, tokensOut: 0, ttsCharacters: 5000, requests: 10, grouping: F.UsageBreakdownGrouping(d1, d1, models: [M3])),
            F.UsageBreakdownResult(hours: 0.5, totalHours: 0.5, tokensIn: 50, tokensOut: 5, ttsCharacters: 0, requests: 7, grouping: F.UsageBreakdownGrouping(d2, d2, models: [M1, null])),
        ]);
        var prices = new UsagePriceTable([new(M1, new UsageModelPrice { PerAudioHour = 0.20m })]);

        var report = UsageReport.FromBreakdown(breakdown, new UsageReportOptions { Prices = prices });

        Assert.Equal(UsageReportSource.Breakdown, report.Source);
        Assert.Equal(57, report.Totals.Requests);
        Assert.Equal(150, report.Totals.TokensIn);
        Assert.Equal(15, report.Totals.TokensOut);
        Assert.Equal(4.0, report.Totals.AudioHours, 9); // total_hours: 1.5 + 2 + 0.5
        Assert.Equal(5000, report.Totals.TtsCharacters);
        Assert.Equal(0m, report.Totals.BilledUsd);
        Assert.Equal(57, report.Totals.RequestsWithoutUsd);
        Assert.Equal(0.40m, report.Totals.EstimatedUsd); // M1: (1.5 + 0.5) h × 0.20
        Assert.Equal(47, report.Totals.EstimatedRequests);
        Assert.Equal(10, report.Totals.UnpricedRequests);
        Assert.Equal(0, report.Totals.States.Success);
        Assert.Equal([(M1, 47L), (M3, 10L)], report.ByModel.Select(g => (g.Key!, g.Figures.Requests)));
        Assert.Empty(report.ByApiKey); // not grouped by accessor
        Assert.Empty(report.Hourly);
        Assert.Empty(report.HourOfDay);
        Assert.Equal([50L, 7], report.Daily.Select(d => d.Figures.Requests));
        Assert.Equal(new DateTimeOffset(2025, 1, 16, 0, 0, 0, TimeSpan.Zero), report.Start);
        Assert.Equal(new DateTimeOffset(2025, 1, 18, 0, 0, 0, TimeSpan.Zero), report.End);
    }

    [Fact]
    public void Report_from_a_breakdown_by_accessor_checks_per_key_budgets()
    {
        var d1 = new DateOnly(2025, 1, 16);
        var breakdown = F.UsageBreakdown(d1, d1, F.UsageResolution(), [
            F.UsageBreakdownResult(tokensIn: 900, tokensOut: 200, requests: 3, grouping: F.UsageBreakdownGrouping(d1, d1, accessor: "a")),
            F.UsageBreakdownResult(tokensIn: 10, tokensOut: 1, requests: 1, grouping: F.UsageBreakdownGrouping(d1, d1, accessor: "b")),
            F.UsageBreakdownResult(tokensIn: 5, tokensOut: 0, requests: 2, grouping: F.UsageBreakdownGrouping(d1, d1)),
        ]);
        var options = new UsageReportOptions();
        options.Budgets.Add(new UsageBudget { MaxTokens = 1000, PerApiKey = true });

        var report = breakdown.ToReport(options);

        Assert.Equal(["a", null, "b"], report.ByApiKey.Select(g => g.Key));
        var breach = Assert.Single(report.BudgetBreaches);
        Assert.Equal(("a", 1100m), (breach.ApiKey, breach.Actual));
    }
}
