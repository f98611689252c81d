using System.Text.Json;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Models;

/// <summary>Every drift of API-NOTES "Modelling checklist", read through the real client from WireMock.</summary>
public sealed class ModelFixtureTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string RequestPath = "/v1/projects/proj-1/requests/req-1";

    [Theory]
    [InlineData("request-flat.json")]
    [InlineData("request-wrapped.json")]
    public async Task Get_one_reads_flat_and_wrapped_bodies_alike(string fixture)
    {
        StubFixture(RequestPath, fixture);

        var r = await NewClient().GetRequestAsync(Project, "req-1");

        Assert.Equal("3c6b1d2e-0a1b-4c5d-8e9f-000000000001", r.RequestId);
        Assert.Equal("proj-1", r.ProjectId);
        Assert.Equal("/v1/listen?model=nova-3&diarize=true&keywords=a:1", r.Path);
        Assert.Equal("key-1", r.ApiKeyId);
        Assert.Equal("acc-1", r.Accessor);
        Assert.Equal(Deployment.Hosted, r.Deployment);
        Assert.Equal(200, r.Code);
        Assert.Equal(200, r.EffectiveCode);
        Assert.Equal(RequestLogState.Success, r.State);

        var response = r.Response!;
        Assert.Equal(200, response.Code);
        Assert.Equal(new DateTimeOffset(2023, 10, 5, 22, 49, 4, TimeSpan.Zero).AddTicks(10), response.Completed);
        Assert.Null(response.Message);
        Assert.False(response.IsEmpty);

        var d = response.Details!;
        Assert.Equal(0.0043m, d.Usd);
        Assert.Equal(12.5, d.Duration);
        Assert.Equal(25.0, d.TotalAudio);
        Assert.Equal(2, d.Channels);
        Assert.Equal(1, d.Streams);
        Assert.Equal(["model-uuid-1", "model-uuid-2"], d.Models);
        Assert.Equal(ProcessingMethod.Sync, d.Method);
        Assert.Equal("nova", d.Tier);
        Assert.Equal(["dev", "prod"], d.Tags);
        Assert.Equal(["diarize", "keywords", "summarize"], d.Features);

        Assert.Equal(2, response.TokenDetails.Count);
        Assert.Equal("summarization", response.TokenDetails[0].Feature);
        Assert.Equal(120, response.TokenDetails[0].Input);
        Assert.Equal(45, response.TokenDetails[0].Output);
        Assert.Equal("llm-1", response.TokenDetails[0].Model);
        Assert.Equal(30, response.TokenDetails[1].Input);
        Assert.Null(response.TokenDetails[1].Model);

        var tts = response.TtsDetails!;
        Assert.Equal(3.25, tts.Duration);
        Assert.Equal(2, tts.SpeechSegments.Count);
        Assert.Equal(100, tts.SpeechSegments[0].Characters);
        Assert.Equal("aura-asteria-en", tts.SpeechSegments[0].Model);
        Assert.Equal("aura", tts.SpeechSegments[0].Tier);
        Assert.Equal(20, tts.SpeechSegments[1].Characters);
        Assert.Equal(120, tts.Characters);

        var cb = r.Callback!;
        Assert.Null(cb.Url);
        Assert.Equal(2, cb.Attempts);
        Assert.Equal(200, cb.Code);
        Assert.Equal(new DateTimeOffset(2023, 10, 5, 22, 49, 10, TimeSpan.Zero), cb.Completed);
    }

    [Fact]
    public async Task Created_keeps_microsecond_precision()
    {
        StubFixture(RequestPath, "request-flat.json");

        var r = await NewClient().GetRequestAsync(Project, "req-1");

        Assert.Equal(new DateTimeOffset(2023, 10, 5, 22, 49, 3, TimeSpan.Zero).AddTicks(5_096_540), r.Created);
        Assert.Equal(TimeSpan.Zero, r.Created.Offset);
    }

    [Fact]
    public async Task Config_values_that_drift_in_type_are_read_by_the_typed_helpers()
    {
        StubFixture(RequestPath, "request-flat.json");

        var d = (await NewClient().GetRequestAsync(Project, "req-1")).Response!.Details!;

        Assert.True(d.GetConfigBoolean("detect_topics"));       // "true" as a string
        Assert.True(d.GetConfigBoolean("diarize"));             // a real boolean
        Assert.False(d.GetConfigBoolean("punctuate"));
        Assert.Null(d.GetConfigBoolean("summarize"));           // "v2" is not a boolean
        Assert.Equal("v2", d.GetConfigString("summarize"));
        Assert.Equal("1", d.GetConfigString("alternatives"));
        Assert.Equal("en", d.GetConfigString("language"));
        Assert.Equal(["alpha:2", "beta"], d.GetConfigStrings("keywords"));
        Assert.Equal(["pci"], d.GetConfigStrings("redact"));    // a single value reads as a one-item list
        Assert.Null(d.GetConfigString("nested"));               // structured: not text
        Assert.Null(d.GetConfigBoolean("absent"));
        Assert.Null(d.GetConfigString("absent"));
        Assert.Null(d.GetConfigStrings("absent"));

        // The raw values stay reachable, nested structure and escapes intact.
        var config = d.Config!;
        Assert.Equal(JsonValueKind.String, config["detect_topics"].ValueKind);
        Assert.Equal("c\"d", config["nested"].GetProperty("a")[2].GetProperty("b").GetString());
        Assert.Equal(9, config.Count);
    }

    [Fact]
    public async Task Unknown_members_are_kept_at_every_level()
    {
        StubFixture(RequestPath, "request-flat.json");

        var r = await NewClient().GetRequestAsync(Project, "req-1");

        Assert.Equal(1, r.AdditionalProperties["brand_new_member"].GetProperty("x").GetInt32());
        Assert.Equal(16000, r.Response!.AdditionalProperties["audio_metadata"].GetProperty("sample_rate").GetInt32());
        Assert.Equal("kept", r.Response.Details!.AdditionalProperties["future_detail"].GetString());
        Assert.False(r.AdditionalProperties.ContainsKey("request_id"));
    }

    [Fact]
    public async Task A_page_with_every_callback_and_response_shape_is_read_without_a_crash()
    {
        StubPage(0, Fixtures.Read("requests-drift-page.json"));
        var clock = NewClock(); // 2025-03-01T12:00Z: every item is about 26 h old

        var items = new List<UsageRequest>();
        await foreach (var r in NewClient(clock).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(10)))
        {
            items.Add(r);
        }

        Assert.Equal(["cb-string", "cb-object", "cb-null", "resp-empty", "resp-message", "resp-absent", "odd-types"], items.Select(i => i.RequestId));
        var byId = items.ToDictionary(i => i.RequestId!);

        // callback as a string
        Assert.Equal("https://example.com/callback", byId["cb-string"].Callback!.Url);
        Assert.Null(byId["cb-string"].Callback!.Attempts);
        Assert.Equal(0.5m, byId["cb-string"].Response!.Details!.Usd);
        Assert.True(byId["cb-string"].Response!.Details!.GetConfigBoolean("summarize"));
        Assert.Equal("true", byId["cb-string"].Response!.Details!.GetConfigString("summarize"));
        Assert.False(byId["cb-string"].Response!.Details!.GetConfigBoolean("detect_topics"));

        // callback as an object (a numeric string, an unknown member)
        var cb = byId["cb-object"].Callback!;
        Assert.Equal(3, cb.Attempts);
        Assert.Equal(500, cb.Code);
        Assert.Equal(new DateTimeOffset(2025, 2, 28, 10, 1, 0, TimeSpan.Zero), cb.Completed);
        Assert.Null(cb.Url);

        // callback null, response null
        Assert.Null(byId["cb-null"].Callback);
        Assert.Null(byId["cb-null"].Response);

        // response {}
        Assert.NotNull(byId["resp-empty"].Response);
        Assert.True(byId["resp-empty"].Response!.IsEmpty);
        Assert.Null(byId["resp-empty"].Response!.Details);
        Assert.Empty(byId["resp-empty"].Response!.TokenDetails);

        // response {message}
        Assert.Equal("Bad audio", byId["resp-message"].Response!.Message);
        Assert.Equal(400, byId["resp-message"].EffectiveCode);
        Assert.Null(byId["resp-message"].Response!.Details);

        // response absent
        Assert.Null(byId["resp-absent"].Response);
        Assert.Null(byId["resp-absent"].Callback);

        // odd types: numeric string code, unknown deployment and method survive, single string as list, null tags, null config
        var odd = byId["odd-types"];
        Assert.Equal(201, odd.Code);
        Assert.Equal("on-the-moon", odd.Deployment.ToString());
        Assert.Equal("batch-v9", odd.Response!.Details!.Method.ToString());
        Assert.Equal(1, odd.Response.Details.Channels);
        Assert.Equal(["single-model"], odd.Response.Details.Models);
        Assert.Empty(odd.Response.Details.Tags);
        Assert.Null(odd.Response.Details.Config);
        Assert.Null(odd.Response.Details.GetConfigBoolean("diarize"));
        Assert.Equal(JsonValueKind.Array, odd.AdditionalProperties["unknown_array"].ValueKind);
        Assert.Equal(new DateTimeOffset(2025, 2, 28, 10, 0, 0, 100, TimeSpan.Zero), odd.Created);

        // states of the drift shapes at the clock's time (26 h old)
        Assert.Equal(RequestLogState.Success, byId["cb-string"].State);
        Assert.Equal(RequestLogState.Success, byId["cb-object"].State);
        Assert.Equal(RequestLogState.Lost, byId["cb-null"].State);
        Assert.Equal(RequestLogState.Lost, byId["resp-empty"].State);
        Assert.Equal(RequestLogState.Error, byId["resp-message"].State);
        Assert.Equal(RequestLogState.Lost, byId["resp-absent"].State);
        Assert.Equal(RequestLogState.Success, odd.State);
    }

    [Fact]
    public async Task Summary_reads_results_tokens_tts_and_numbers_sent_as_strings()
    {
        StubFixture("/v1/projects/proj-1/usage", "summary.json");

        var s = await NewClient().GetSummaryAsync(Project);

        Assert.Equal(new DateOnly(2023, 10, 1), s.Start);
        Assert.Equal(new DateOnly(2023, 10, 5), s.End);
        Assert.Equal("day", s.Resolution!.Units);
        Assert.Equal(1, s.Resolution.Amount);
        Assert.Equal(2, s.Results.Count);
        var r0 = s.Results[0];
        Assert.Equal(new DateOnly(2023, 10, 1), r0.Start);
        Assert.Equal(new DateOnly(2023, 10, 1), r0.End);
        Assert.Equal(865.7331186111111, r0.Hours);
        Assert.Equal(867.6975186111111, r0.TotalHours);
        Assert.Equal(54105, r0.Requests);
        Assert.Equal(24770, r0.Tokens!.In);
        Assert.Equal(7521, r0.Tokens.Out);
        Assert.Equal(9004185, r0.Tts!.Characters);
        Assert.Equal(23126, r0.Tts.Requests);
        var r1 = s.Results[1];
        Assert.Equal(new DateOnly(2023, 10, 2), r1.Start);       // a full timestamp is tolerated
        Assert.Equal(1.5, r1.Hours);
        Assert.Equal(3, r1.TotalHours);
        Assert.Equal(373381, r1.Requests);                        // "373381.0"
        Assert.Null(r1.Tokens);
        Assert.Null(r1.Tts);
        Assert.Equal(42, s.AdditionalProperties["unknown_total"].GetInt32());
    }

    [Fact]
    public async Task Summary_without_results_as_the_spec_describes_it_is_an_empty_list()
    {
        StubFixture("/v1/projects/proj-1/usage", "summary-no-results.json");

        var s = await NewClient().GetSummaryAsync(Project);

        Assert.Empty(s.Results);
        Assert.Equal(1, s.Resolution!.Amount);
        Assert.Equal(new DateOnly(2025, 1, 31), s.End);
    }

    [Fact]
    public async Task Breakdown_reads_string_hours_float_counts_and_every_grouping_shape()
    {
        StubFixture("/v1/projects/proj-1/usage/breakdown", "breakdown.json");

        var b = await NewClient().GetBreakdownAsync(Project, new UsageQuery().GroupBy(UsageGrouping.Models));

        Assert.Equal(new DateOnly(2025, 1, 16), b.Start);
        Assert.Equal(new DateOnly(2025, 1, 23), b.End);
        Assert.Equal("day", b.Resolution!.Units);
        Assert.Equal(3, b.Results.Count);

        var r0 = b.Results[0];
        Assert.Equal(1619.72, r0.Hours);                          // "1619.72"
        Assert.Equal(1621.74, r0.TotalHours);
        Assert.Equal(41.34, r0.AgentHours);
        Assert.Equal(0, r0.TokensIn);
        Assert.Equal(0, r0.TokensOut);                            // 0.0
        Assert.Equal(9158866, r0.TtsCharacters);
        Assert.Equal(373381, r0.Requests);                        // 373381.0
        var g0 = r0.Grouping!;
        Assert.Equal(new DateOnly(2025, 1, 16), g0.Start);
        Assert.Equal(["model-uuid-1", null, "model-uuid-2"], g0.Models);   // null items kept
        Assert.Null(g0.Tags);
        Assert.Null(g0.Accessor);
        Assert.Null(g0.Deployment);

        var r1 = b.Results[1];
        Assert.Equal(2.5, r1.Hours);
        Assert.Equal(5, r1.TotalHours);
        Assert.Equal(0, r1.AgentHours);                           // "0"
        Assert.Equal(12, r1.TokensIn);                            // "12"
        Assert.Equal(7, r1.Requests);
        var g1 = r1.Grouping!;
        Assert.Empty(g1.Models);                                  // null
        Assert.Equal(["dev"], g1.Tags);                           // a single string
        Assert.Equal("acc-1", g1.Accessor);
        Assert.Equal("listen", g1.Endpoint);
        Assert.Equal("diarize,punctuate", g1.FeatureSet);
        Assert.Equal("sync", g1.Method);
        Assert.Equal("hosted", g1.Deployment);

        var g2 = b.Results[2].Grouping!;
        Assert.Equal(["model-uuid-3"], g2.Models);                // a single string
        Assert.Equal(["dev", "prod"], g2.Tags);                   // an array
        Assert.True(b.AdditionalProperties.ContainsKey("totals_we_do_not_model"));
    }

    [Fact]
    public async Task Fields_read_with_languages()
    {
        StubFixture("/v1/projects/proj-1/usage/fields", "fields.json");

        var f = await NewClient().GetFieldsAsync(Project);

        Assert.Equal(["tag=dev", "tag=production"], f.Tags);
        Assert.Equal(2, f.Models.Count);
        Assert.Equal("2-general-nova", f.Models[0].Name);
        Assert.Equal("en", f.Models[0].Language);
        Assert.Equal("2024-05-31.13574", f.Models[0].Version);
        Assert.Equal("1abfe86b-e047-4eed-858a-35e5625b41ee", f.Models[0].ModelId);
        Assert.Equal(["sync", "streaming"], f.ProcessingMethods);
        Assert.Equal(["en", "es"], f.Languages);
        Assert.Equal(["alternatives", "detect_entities", "detect_language"], f.Features);
    }

    [Fact]
    public async Task Fields_read_without_languages()
    {
        StubFixture("/v1/projects/proj-1/usage/fields", "fields-no-languages.json");

        var f = await NewClient().GetFieldsAsync(Project);

        Assert.Empty(f.Languages);
        Assert.Empty(f.Tags);
        Assert.Empty(f.Models);
        Assert.Equal(["async"], f.ProcessingMethods);
        Assert.Equal(["diarize"], f.Features);
    }

    [Theory]
    [InlineData("""{"request_id":"x","created":null}""")]
    [InlineData("""{"request_id":"x","created":"not a date"}""")]
    [InlineData("""{"request_id":"x","created":"2025-02-28"}""")]
    [InlineData("""{"request_id":"x","created":"2025-02-28T10:00:00"}""")]
    [InlineData("""{"request_id":"x"}""")]
    public async Task An_odd_or_missing_created_does_not_fail_the_item(string json)
    {
        StubJson(RequestPath, json);

        var r = await NewClient().GetRequestAsync(Project, "req-1");

        Assert.Equal("x", r.RequestId);
    }

    [Fact]
    public void UsageJson_round_trips_a_request_in_the_wire_shape()
    {
        var r = UsageJson.DeserializeRequest(Fixtures.Read("request-wrapped.json"), new DateTimeOffset(2023, 10, 6, 0, 0, 0, TimeSpan.Zero));
        var json = UsageJson.Serialize(r);
        var again = UsageJson.DeserializeRequest(json, new DateTimeOffset(2023, 10, 6, 0, 0, 0, TimeSpan.Zero));

        Assert.Contains("\"request_id\":\"3c6b1d2e-0a1b-4c5d-8e9f-000000000001\"", json);
        Assert.Contains("\"project_uuid\":\"proj-1\"", json);
        Assert.Equal(r.Created, again.Created);
        Assert.Equal(r.Response!.Details!.Usd, again.Response!.Details!.Usd);
        Assert.Equal("v2", again.Response.Details.GetConfigString("summarize"));
        Assert.Equal(2, again.Callback!.Attempts);
        Assert.Equal("kept", again.Response.Details.AdditionalProperties["future_detail"].GetString());
        Assert.Equal(RequestLogState.Success, again.State);
    }
}
