using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;
using UsageSdk.Tests.Infrastructure;
using static UsageSdk.Reports.Tests.Infrastructure.ReportData;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Reports.Tests;

/// <summary>Issue 22.2: per-model rows whose additive columns add up to the totals.</summary>
public sealed class ReportModelAttributionTests
{
    private const string Stt = M1, Agent = M2, Voice = M3;

    private static UsageReportOptions Named(UsagePriceTable? prices = null)
    {
        var options = new UsageReportOptions { Prices = prices };
        options.Names.Models[Stt] = "nova-3";
        options.Names.Models[Agent] = "agent-x";
        options.Names.Models[Voice] = "aura-2";
        return options;
    }

    /// <summary>
    /// A voice-agent request: speech (nova-3), voice (aura-2) and agent (agent-x) models, half an hour of audio, LLM
    /// tokens named after a model that is none of the three (gpt-x), two speech segments named aura-2, usd 2.00.
    /// </summary>
    private static UsageRequest VoiceAgent(string id = "va", decimal? usd = 2.00m) => F.UsageRequest(id, "p", T0, "/v1/agent/converse", "k", "k", Deployment.Hosted, 200,
        F.RequestResponse(F.RequestDetails(usd: usd, totalAudio: 1800, models: [Stt, Voice, Agent], method: ProcessingMethod.Streaming, configJson: """{"model":"agent-x"}"""), 200,
            tokenDetails: [F.TokenDetail("agent", 10_000, 2_000, "gpt-x")],
            ttsDetails: F.TtsDetails(90, [F.SpeechSegment(1000, "aura-2"), F.SpeechSegment(500, "aura-2")])));

    private static UsagePriceTable AgentPrices() => UsagePriceTable.Parse("""
        { "models": {
            "nova-3": { "per_audio_hour": 0.25 },
            "agent-x": { "per_audio_hour": 3.00 },
            "aura-2": { "per_million_characters": 40 },
            "gpt-x": { "per_million_input_tokens": 1.0, "per_million_output_tokens": 4.0 } } }
        """);

    /// <summary>Every metric the report does not declare overlapping adds up, over the rows of the dimension, to the totals.</summary>
    private static void AssertAdditiveColumnsAddUp(UsageReport report, UsageReportDimension dimension)
    {
        var rows = report.GetGroups(dimension).Select(g => g.Figures).ToList();
        var overlapping = report.GetOverlappingMetrics(dimension);
        var t = report.Totals;
        Assert.NotEmpty(rows);
        if (!overlapping.Contains(UsageReportMetric.Requests))
        {
            Assert.Equal(t.Requests, rows.Sum(f => f.Requests));
        }
        if (!overlapping.Contains(UsageReportMetric.Errors))
        {
            Assert.Equal(t.States.Error, rows.Sum(f => f.States.Error));
        }
        if (!overlapping.Contains(UsageReportMetric.Requests))
        {
            Assert.Equal(t.RequestsWithTokens, rows.Sum(f => f.RequestsWithTokens));
        }
        Assert.DoesNotContain(UsageReportMetric.TokensIn, overlapping);
        Assert.DoesNotContain(UsageReportMetric.TokensOut, overlapping);
        Assert.DoesNotContain(UsageReportMetric.TtsCharacters, overlapping);
        Assert.DoesNotContain(UsageReportMetric.AudioHours, overlapping);
        Assert.DoesNotContain(UsageReportMetric.EstimatedUsd, overlapping);
        Assert.Equal(t.TokensIn, rows.Sum(f => f.TokensIn));
        Assert.Equal(t.TokensOut, rows.Sum(f => f.TokensOut));
        Assert.Equal(t.TokensTotal, rows.Sum(f => f.TokensTotal));
        Assert.Equal(t.TtsCharacters, rows.Sum(f => f.TtsCharacters));
        Assert.Equal(t.AudioSeconds, rows.Sum(f => f.AudioSeconds), 6);
        Assert.Equal(t.EstimatedUsd, rows.Sum(f => f.EstimatedUsd));
        if (!overlapping.Contains(UsageReportMetric.BilledUsd))
        {
            Assert.Equal(t.BilledUsd, rows.Sum(f => f.BilledUsd)); // exact: decimal
        }
    }

    [Fact]
    public void Voice_agent_without_prices_attributes_usage_and_says_its_cost_overlaps()
    {
        var report = new[] { VoiceAgent() }.ToReport(Named());

        var stt = report.Group(UsageReportDimension.Model, Stt);
        var agent = report.Group(UsageReportDimension.Model, Agent);
        var voice = report.Group(UsageReportDimension.Model, Voice);
        Assert.Equal(3, report.ByModel.Count); // no row for gpt-x: its tokens go to the agent model the request asked for
        Assert.Equal((0L, 0L, 1800d, 0L), (stt.Figures.TokensIn, stt.Figures.TokensOut, stt.Figures.AudioSeconds, stt.Figures.TtsCharacters));
        Assert.Equal((10_000L, 2_000L, 0d, 0L), (agent.Figures.TokensIn, agent.Figures.TokensOut, agent.Figures.AudioSeconds, agent.Figures.TtsCharacters));
        Assert.Equal((0L, 0L, 0d, 1500L), (voice.Figures.TokensIn, voice.Figures.TokensOut, voice.Figures.AudioSeconds, voice.Figures.TtsCharacters));
        Assert.Equal(1, agent.Figures.RequestsWithTokens);
        Assert.Equal(0, stt.Figures.RequestsWithTokens);
        // Nothing prices the parts, so the 2.00 cannot be split: each row shows the cost of the requests that used it.
        Assert.All(report.ByModel, g => Assert.Equal((1L, 2.00m, 2.00m), (g.Figures.Requests, g.Figures.BilledUsd, g.UnsplitUsd)));
        Assert.Equal(2.00m, report.UnsplitModelUsd);
        Assert.Equal(1, report.UnsplitModelRequests);
        Assert.Equal([UsageReportMetric.Requests, UsageReportMetric.BilledUsd], report.GetOverlappingMetrics(UsageReportDimension.Model));
        Assert.Contains("$2.00 of 1 requests with several models could not be split", report.GetOverlapNote(UsageReportDimension.Model));
        AssertAdditiveColumnsAddUp(report, UsageReportDimension.Model);
    }

    [Fact]
    public void Voice_agent_cost_is_split_by_the_price_table_and_adds_up_exactly()
    {
        var report = new[] { VoiceAgent() }.ToReport(Named(AgentPrices()));

        // Parts: audio 0.5 h at the dearest per-hour price (agent-x 3.00) = 1.50 → agent; gpt-x tokens 10k × 1/M +
        // 2k × 4/M = 0.018 → agent (where the tokens went); 1500 characters × 40/M = 0.06 → voice. Sum 1.578.
        // 2.00 split: voice 2.00 × 0.06 / 1.578 = 0.076045627376… (12 decimals), agent the rest, speech 0.
        var voice = report.Group(UsageReportDimension.Model, Voice).Figures;
        var agent = report.Group(UsageReportDimension.Model, Agent).Figures;
        var stt = report.Group(UsageReportDimension.Model, Stt).Figures;
        Assert.Equal(0.076045627376m, voice.BilledUsd);
        Assert.Equal(1.923954372624m, agent.BilledUsd);
        Assert.Equal(0m, stt.BilledUsd);
        Assert.Equal(2.00m, voice.BilledUsd + agent.BilledUsd + stt.BilledUsd);
        Assert.All(report.ByModel, g => Assert.Equal(0m, g.UnsplitUsd));
        Assert.Equal(0m, report.UnsplitModelUsd);
        Assert.Equal(0m, report.Totals.EstimatedUsd); // the request has usd: nothing is estimated
        Assert.Equal([UsageReportMetric.Requests], report.GetOverlappingMetrics(UsageReportDimension.Model));
        Assert.Contains("billed cost go to the model that used them", report.GetOverlapNote(UsageReportDimension.Model));
        AssertAdditiveColumnsAddUp(report, UsageReportDimension.Model);
    }

    [Fact]
    public void Voice_agent_estimate_goes_to_the_model_whose_price_made_it()
    {
        var report = new[] { VoiceAgent(usd: null) }.ToReport(Named(AgentPrices()));

        Assert.Equal(1.578m, report.Totals.EstimatedUsd);
        Assert.Equal(1.518m, report.Group(UsageReportDimension.Model, Agent).Figures.EstimatedUsd);
        Assert.Equal(0.06m, report.Group(UsageReportDimension.Model, Voice).Figures.EstimatedUsd);
        Assert.Equal(0m, report.Group(UsageReportDimension.Model, Stt).Figures.EstimatedUsd);
        Assert.Equal(1, report.Group(UsageReportDimension.Model, Stt).Figures.EstimatedRequests);
        AssertAdditiveColumnsAddUp(report, UsageReportDimension.Model);
    }

    [Fact]
    public void Without_names_an_unmatched_token_model_gets_a_row_of_its_own()
    {
        // The ids cannot be matched to gpt-x or aura-2 without names: the segments and tokens name models that are
        // not among the request's three ids, so they get rows named as the wire names them; the audio goes to the first model.
        var report = new[] { VoiceAgent() }.ToReport();

        Assert.Equal(10_000, report.Group(UsageReportDimension.Model, "gpt-x").Figures.TokensIn);
        Assert.Equal(1500, report.Group(UsageReportDimension.Model, "aura-2").Figures.TtsCharacters);
        Assert.Equal(1800d, report.Group(UsageReportDimension.Model, Stt).Figures.AudioSeconds);
        Assert.Equal(5, report.ByModel.Count);
        AssertAdditiveColumnsAddUp(report, UsageReportDimension.Model);
    }

    [Fact]
    public void A_single_model_request_keeps_all_its_figures_whatever_its_details_call_the_model()
    {
        var report = SixRequests().ToReport();

        // r1 (M1) has tokens named llm-a and unnamed ones: both stay with its only model, and so does its usd.
        var m1 = report.Group(UsageReportDimension.Model, M1).Figures;
        Assert.Equal((150L, 25L, 0.50m, 1800d), (m1.TokensIn, m1.TokensOut, m1.BilledUsd, m1.AudioSeconds));
        Assert.Equal(500, report.Group(UsageReportDimension.Model, M3).Figures.TtsCharacters);
        Assert.Empty(report.GetOverlappingMetrics(UsageReportDimension.Model));
        Assert.Null(report.GetOverlapNote(UsageReportDimension.Model));
        AssertAdditiveColumnsAddUp(report, UsageReportDimension.Model);
        foreach (var d in new[] { UsageReportDimension.ApiKey, UsageReportDimension.Method, UsageReportDimension.Endpoint, UsageReportDimension.Deployment })
        {
            Assert.Empty(report.GetOverlappingMetrics(d));
            AssertAdditiveColumnsAddUp(report, d);
        }
    }

    [Fact]
    public void Tokens_named_after_another_known_model_go_to_that_model()
    {
        // A transcription with a summary: the summary's tokens are text intelligence's, known by name.
        const string Ti = "44444444-4444-4444-8444-444444444444";
        var request = F.UsageRequest("s", "p", T0, "/v1/listen?model=nova-3&summarize=v2", "k", "k", Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: 0.10m, totalAudio: 600, models: [Stt]), 200, tokenDetails: [F.TokenDetail("summarization", 800, 90, "text-intelligence")]));
        var options = Named(UsagePriceTable.Parse("""{ "models": { "nova-3": { "per_audio_hour": 0.36 }, "text-intelligence": { "per_million_input_tokens": 100, "per_million_output_tokens": 400 } } }"""));
        options.Names.Models[Ti] = "text-intelligence";

        var report = new[] { request }.ToReport(options);

        var ti = report.Group(UsageReportDimension.Model, Ti).Figures;
        var stt = report.Group(UsageReportDimension.Model, Stt).Figures;
        Assert.Equal((800L, 90L, 0d), (ti.TokensIn, ti.TokensOut, ti.AudioSeconds));
        Assert.Equal((0L, 600d), (stt.TokensIn, stt.AudioSeconds));
        // Parts: audio 1/6 h × 0.36 = 0.06; tokens 800 × 100/M + 90 × 400/M = 0.08 + 0.036 = 0.116. Sum 0.176.
        // Text intelligence is the larger part and takes the remainder: 0.10 − round(0.10 × 0.06 / 0.176, 12).
        Assert.Equal(0.034090909091m, stt.BilledUsd);
        Assert.Equal(0.065909090909m, ti.BilledUsd);
        AssertAdditiveColumnsAddUp(report, UsageReportDimension.Model);
    }

    [Theory]
    [InlineData("/v1/listen?model=nova-3&punctuate=true", null)]
    [InlineData("/v1/listen?punctuate=true&MODEL=nova-3", null)]
    [InlineData("/v1/listen", """{"model":"nova-3"}""")]
    public void A_failed_request_counts_against_the_model_it_asked_for(string path, string? config)
    {
        var failed = F.UsageRequest("f", "p", T0, path, "k", "k", Deployment.Hosted, 500,
            F.RequestResponse(config is null ? null : F.RequestDetails(configJson: config), code: 500, message: "boom"));
        var ok = F.UsageRequest("o", "p", T0.AddMinutes(1), "/v1/listen?model=nova-3", "k", "k", Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: 0.01m, totalAudio: 60, models: [Stt]), 200));

        var report = new[] { failed, ok }.ToReport(Named());

        var row = Assert.Single(report.ByModel);
        Assert.Equal(Stt, row.Key);
        Assert.Equal((2L, 1L, 1L), (row.Figures.Requests, row.Figures.States.Error, row.Figures.States.Success));
        Assert.Equal(0.5, row.Figures.ErrorRate);
    }

    [Fact]
    public void A_failed_request_keeps_the_name_it_asked_for_when_the_id_is_unknown_and_none_only_when_it_asked_for_nothing()
    {
        var named = F.UsageRequest("a", "p", T0, "/v1/speak?model=aura-2-thalia-en%20x&encoding=linear16", "k", "k", Deployment.Hosted, 400, F.RequestResponse(code: 400, message: "bad"));
        var none = F.UsageRequest("b", "p", T0, "/v1/agent/converse", "k", "k", Deployment.Hosted, 500, F.RequestResponse(code: 500, message: "boom"));

        var report = new[] { named, none }.ToReport();

        Assert.Equal(1, report.Group(UsageReportDimension.Model, "aura-2-thalia-en x").Figures.States.Error);
        Assert.Equal(1, report.Group(UsageReportDimension.Model, null).Figures.States.Error);
    }

    [Theory]
    [InlineData("/v1/listen?model=nova-3", "nova-3")]
    [InlineData("/v1/listen?a=1&model=nova%2D3&model=other", "nova-3")]
    [InlineData("/v1/listen?model=", null)]
    [InlineData("/v1/listen?remodel=x", null)]
    [InlineData("/v1/listen#model=x", null)]
    [InlineData("/v1/listen?model=a+b#frag", "a b")]
    [InlineData(null, null)]
    public void The_model_of_a_path_is_read_from_its_query(string? path, string? expected)
        => Assert.Equal(expected, UsageReportBuilder.ModelOfPath(path));

    [Fact]
    public void Tags_that_overlap_say_so_and_those_that_do_not_do_not()
    {
        var overlapping = SixRequests().ToReport(); // r1 has prod and team:a
        var single = new[] { At(T0, usd: 0.01m) }.ToReport();

        Assert.Equal(Enum.GetValues<UsageReportMetric>(), overlapping.GetOverlappingMetrics(UsageReportDimension.Tag));
        Assert.Equal("A request with several tags counts in each one's row, so the rows add up to more than the total.", overlapping.GetOverlapNote(UsageReportDimension.Tag));
        Assert.Empty(single.GetOverlappingMetrics(UsageReportDimension.Tag));

        using var doc = JsonDocument.Parse(overlapping.ToJson());
        var tag = doc.RootElement.GetProperty("group_overlaps").GetProperty("tag");
        Assert.Contains("tokens_in", tag.GetProperty("metrics").EnumerateArray().Select(m => m.GetString()));
        Assert.StartsWith("A request with several tags", tag.GetProperty("note").GetString());
        Assert.False(doc.RootElement.GetProperty("group_overlaps").TryGetProperty("model", out _));
    }

    [Fact]
    public void Json_carries_the_unsplit_cost_and_the_model_overlap()
    {
        using var doc = JsonDocument.Parse(new[] { VoiceAgent() }.ToReport(Named()).ToJson());
        var root = doc.RootElement;

        Assert.Equal(2.00m, root.GetProperty("unsplit_model_usd").GetDecimal());
        Assert.Equal(1, root.GetProperty("unsplit_model_requests").GetInt64());
        var model = root.GetProperty("group_overlaps").GetProperty("model");
        Assert.Equal(["requests", "billed_usd"], model.GetProperty("metrics").EnumerateArray().Select(m => m.GetString()));
        Assert.All(root.GetProperty("groups").GetProperty("model").EnumerateArray(), g => Assert.Equal(2.00m, g.GetProperty("unsplit_usd").GetDecimal()));
    }

    [Fact]
    public void Model_costs_from_another_source_are_shown_beside_the_rows_and_never_mixed_in()
    {
        var options = Named();
        options.ModelCosts["nova-3"] = 12.5m;        // by name
        options.ModelCosts[Agent] = 3m;              // by id
        options.ModelCosts["whisper"] = 0.75m;       // a model without request logs in the period
        var report = new[] { VoiceAgent() }.ToReport(options);

        Assert.Equal(12.5m, report.Group(UsageReportDimension.Model, Stt).SuppliedUsd);
        Assert.Equal(3m, report.Group(UsageReportDimension.Model, Agent).SuppliedUsd);
        Assert.Null(report.Group(UsageReportDimension.Model, Voice).SuppliedUsd);
        var whisper = report.Group(UsageReportDimension.Model, "whisper");
        Assert.Equal((0.75m, 0L), (whisper.SuppliedUsd, whisper.Figures.Requests));
        Assert.Equal(2.00m, report.Totals.BilledUsd);
        Assert.Equal(2.00m, report.Group(UsageReportDimension.Model, Stt).Figures.BilledUsd);
        using var doc = JsonDocument.Parse(report.ToJson());
        Assert.Equal(12.5m, doc.RootElement.GetProperty("groups").GetProperty("model").EnumerateArray().Single(g => g.GetProperty("key").GetString() == Stt).GetProperty("supplied_usd").GetDecimal());

        var bad = new UsageReportOptions();
        bad.ModelCosts["m"] = -1;
        Assert.Contains("ModelCosts", Assert.Throws<ArgumentException>(() => new UsageReportBuilder(bad)).Message);
    }

    // ------------------------------------------------------------------ the demo data

    private static (List<UsageRequest> Requests, UsageReportOptions Options, FakeUsageApi Api) Demo(bool prices)
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 14, TimeProvider = new FakeTimeProvider(new DateTimeOffset(2025, 6, 18, 15, 30, 0, TimeSpan.Zero)) });
        var options = new UsageReportOptions();
        foreach (var m in api.Models)
        {
            options.Names.Models[m.ModelId] = m.Name;
        }
        if (prices)
        {
            options.Prices = UsagePriceTable.Load(Path.Combine(RepoPaths.Root, "src", "UsageSdk.Cli", "Reports", "prices.example.json"));
        }
        return (api.GetRequests(FakeUsageApi.DemoProjectId).ToList(), options, api);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void On_the_demo_data_every_additive_per_model_column_adds_up_to_the_total(bool prices)
    {
        var (requests, options, _) = Demo(prices);
        Assert.True(requests.Count > 1000, $"two weeks of demo data; got {requests.Count}");

        var report = requests.ToReport(options);

        AssertAdditiveColumnsAddUp(report, UsageReportDimension.Model);
        // Voice agents list three models, so requests overlap; with the example prices every request's cost is split.
        Assert.Equal(prices ? [UsageReportMetric.Requests] : [UsageReportMetric.Requests, UsageReportMetric.BilledUsd], report.GetOverlappingMetrics(UsageReportDimension.Model));
        Assert.Equal(prices, report.UnsplitModelUsd == 0);
        var agentRequests = requests.Where(r => r.Response?.Details?.Models.Count > 1).ToList();
        Assert.NotEmpty(agentRequests);
        if (!prices)
        {
            // Unsplit: the voice agents' usd and that of the transcriptions with a summary (tokens of text intelligence).
            var several = requests.Where(r => r.Response?.Details?.Usd is { } u && u != 0
                && (r.Response.Details.Models.Count > 1 || (Endpoint.FromPath(r.Path) == Endpoint.Listen && r.Response.TokenDetails.Any(t => t.Model == "text-intelligence")))).ToList();
            Assert.Equal(several.Sum(r => r.Response!.Details!.Usd!.Value), report.UnsplitModelUsd);
            Assert.Equal(several.Count, report.UnsplitModelRequests);
        }
    }

    [Fact]
    public void On_the_demo_data_each_model_row_holds_what_the_logs_say_that_model_did()
    {
        var (requests, options, api) = Demo(prices: false);
        var report = requests.ToReport(options);
        string Id(string name) => api.Models.Single(m => m.Name == name).ModelId;

        // Tokens: text intelligence's by name; the voice agents' LLM tokens (gpt-4o-mini, not a project model) go to
        // the agent model they asked for.
        Assert.Equal(requests.SelectMany(r => r.Response?.TokenDetails ?? []).Where(t => t.Model == "text-intelligence").Sum(t => t.Input ?? 0),
            report.Group(UsageReportDimension.Model, Id("text-intelligence")).Figures.TokensIn);
        Assert.Equal(requests.SelectMany(r => r.Response?.TokenDetails ?? []).Where(t => t.Model == "gpt-4o-mini").Sum(t => t.Output ?? 0),
            report.Group(UsageReportDimension.Model, Id("agent-gpt-4o-mini")).Figures.TokensOut);
        // Characters by the speech segment's model.
        foreach (var voice in new[] { "aura-2-thalia-en", "aura-2-orion-en" })
        {
            Assert.Equal(requests.SelectMany(r => r.Response?.TtsDetails?.SpeechSegments ?? []).Where(s => s.Model == voice).Sum(s => (long)(s.Characters ?? 0)),
                report.Group(UsageReportDimension.Model, Id(voice)).Figures.TtsCharacters);
        }
        // Audio to the first model that is not a voice.
        Assert.Equal(requests.Where(r => r.Response?.Details?.Models.FirstOrDefault(m => !api.Models.Single(x => x.ModelId == m).Name.StartsWith("aura", StringComparison.Ordinal)) == Id("nova-3"))
                .Sum(r => r.Response!.Details!.TotalAudio ?? 0),
            report.Group(UsageReportDimension.Model, Id("nova-3")).Figures.AudioSeconds, 6);
        Assert.Equal(0d, report.Group(UsageReportDimension.Model, Id("agent-gpt-4o-mini")).Figures.AudioSeconds);
        // Failed requests: against the model= of their path; only those that name none are left without a model.
        var failed = requests.Where(r => r.State == RequestLogState.Error).ToList();
        Assert.NotEmpty(failed);
        foreach (var m in api.Models)
        {
            var expected = failed.Count(r => UsageReportBuilder.ModelOfPath(r.Path) == m.Name);
            Assert.Equal(expected, report.GetGroups(UsageReportDimension.Model).SingleOrDefault(g => g.Key == m.ModelId)?.Figures.States.Error ?? 0);
        }
        Assert.Equal(failed.Count(r => UsageReportBuilder.ModelOfPath(r.Path) is null), report.GetGroups(UsageReportDimension.Model).SingleOrDefault(g => g.Key is null)?.Figures.States.Error ?? 0);
        Assert.True(failed.Count(r => UsageReportBuilder.ModelOfPath(r.Path) is not null) > failed.Count / 2, "most failed requests name their model");
    }
}
