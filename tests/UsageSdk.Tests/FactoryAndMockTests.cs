using System.Text.Json;

namespace UsageSdk.Tests;

/// <summary>UsageModelFactory builds every model; AsyncPageable/Page helpers and a subclassed client make users' tests easy.</summary>
public sealed class FactoryAndMockTests
{
    private static readonly DateTimeOffset Created = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UsageModelFactory_builds_a_full_request_log()
    {
        var details = UsageModelFactory.RequestDetails(
            usd: 0.25m, duration: 10, totalAudio: 20, channels: 2, streams: 1, models: ["m1"], method: ProcessingMethod.Async,
            tags: ["dev"], features: ["diarize"], configJson: """{"detect_topics":"true","summarize":"v2","keywords":["a","b"]}""", tier: "nova");
        var response = UsageModelFactory.RequestResponse(
            details, code: 200, completed: Created.AddSeconds(5), message: null,
            tokenDetails: [UsageModelFactory.TokenDetail("summarization", 10, 2, "llm")],
            ttsDetails: UsageModelFactory.TtsDetails(1.5, [UsageModelFactory.SpeechSegment(40, "aura", "aura"), UsageModelFactory.SpeechSegment(2)]));
        var callback = UsageModelFactory.RequestCallback("https://cb", 1, 200, Created.AddSeconds(6));

        var r = UsageModelFactory.UsageRequest("r1", "p1", Created, "/v1/listen", "k1", "acc", Deployment.Hosted, 200, response, callback);

        Assert.Equal(("r1", "p1", Created, "/v1/listen", "k1", "acc"), (r.RequestId, r.ProjectId, r.Created, r.Path, r.ApiKeyId, r.Accessor));
        Assert.Equal(Deployment.Hosted, r.Deployment);
        Assert.Equal(200, r.Code);
        Assert.Equal(RequestLogState.Success, r.State);
        Assert.Same(callback, r.Callback);
        Assert.Equal(("https://cb", 1, 200), (r.Callback!.Url, r.Callback.Attempts, r.Callback.Code));
        var d = r.Response!.Details!;
        Assert.Equal((0.25m, 10.0, 20.0, 2, 1), (d.Usd!.Value, d.Duration!.Value, d.TotalAudio!.Value, d.Channels!.Value, d.Streams!.Value));
        Assert.Equal(["m1"], d.Models);
        Assert.Equal(ProcessingMethod.Async, d.Method);
        Assert.Equal(["dev"], d.Tags);
        Assert.Equal(["diarize"], d.Features);
        Assert.Equal("nova", d.Tier);
        Assert.True(d.GetConfigBoolean("detect_topics"));
        Assert.Equal("v2", d.GetConfigString("summarize"));
        Assert.Equal(["a", "b"], d.GetConfigStrings("keywords"));
        Assert.Equal(10, r.Response.TokenDetails.Single().Input);
        Assert.Equal(42, r.Response.TtsDetails!.Characters);
        Assert.Equal(1.5, r.Response.TtsDetails.Duration);
    }

    [Fact]
    public void UsageModelFactory_derives_the_state_at_the_given_time()
    {
        Assert.Equal(RequestLogState.Pending, UsageModelFactory.UsageRequest("r", created: Created).State);
        Assert.Equal(RequestLogState.Lost, UsageModelFactory.UsageRequest("r", created: Created, now: Created.AddDays(2)).State);
        Assert.Equal(RequestLogState.Error, UsageModelFactory.UsageRequest("r", created: Created, code: 500).State);
        Assert.Equal(RequestLogState.Error, UsageModelFactory.UsageRequest("r", created: Created, response: UsageModelFactory.RequestResponse(message: "boom")).State);
    }

    [Fact]
    public void UsageModelFactory_rejects_a_config_that_is_not_JSON()
    {
        Assert.ThrowsAny<JsonException>(() => UsageModelFactory.RequestDetails(configJson: "{not json"));
    }

    [Fact]
    public void UsageModelFactory_builds_summary_breakdown_and_fields()
    {
        var s = UsageModelFactory.UsageSummary(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2), UsageModelFactory.UsageResolution(),
            [UsageModelFactory.UsageSummaryResult(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), 1.5, 3, 7, UsageModelFactory.UsageTokens(5, 6), UsageModelFactory.UsageTts(8, 9))]);
        var b = UsageModelFactory.UsageBreakdown(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2), UsageModelFactory.UsageResolution("hour", 2),
            [UsageModelFactory.UsageBreakdownResult(1, 2, 3, 4, 5, 6, 7, UsageModelFactory.UsageBreakdownGrouping(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), "acc", "listen", "fs", ["m", null], "sync", ["t"], "hosted"))]);
        var f = UsageModelFactory.UsageFields(["t"], [UsageModelFactory.UsageFieldModel("n", "en", "v", "id")], ["sync"], ["en"], ["diarize"]);

        Assert.Equal(("day", 1), (s.Resolution!.Units, s.Resolution.Amount!.Value));
        var sr = s.Results.Single();
        Assert.Equal((1.5, 3.0, 7L, 5L, 6L, 8L, 9L), (sr.Hours, sr.TotalHours, sr.Requests!.Value, sr.Tokens!.In!.Value, sr.Tokens.Out!.Value, sr.Tts!.Characters!.Value, sr.Tts.Requests!.Value));
        Assert.Equal(("hour", 2), (b.Resolution!.Units, b.Resolution.Amount!.Value));
        var br = b.Results.Single();
        Assert.Equal((1.0, 2.0, 3.0, 4L, 5L, 6L, 7L), (br.Hours, br.TotalHours, br.AgentHours, br.TokensIn!.Value, br.TokensOut!.Value, br.TtsCharacters!.Value, br.Requests!.Value));
        var g = br.Grouping!;
        Assert.Equal(("acc", "listen", "fs", "sync", "hosted"), (g.Accessor, g.Endpoint, g.FeatureSet, g.Method, g.Deployment));
        Assert.Equal(["m", null], g.Models);
        Assert.Equal(["t"], g.Tags);
        Assert.Equal(["t"], f.Tags);
        Assert.Equal(("n", "en", "v", "id"), (f.Models[0].Name, f.Models[0].Language, f.Models[0].Version, f.Models[0].ModelId));
        Assert.Equal(["sync"], f.ProcessingMethods);
        Assert.Equal(["en"], f.Languages);
        Assert.Equal(["diarize"], f.Features);
    }

    [Fact]
    public void Factory_defaults_are_empty_lists_never_null()
    {
        var d = UsageModelFactory.RequestDetails();
        var f = UsageModelFactory.UsageFields();

        Assert.Empty(d.Models);
        Assert.Empty(d.Tags);
        Assert.Null(d.Config);
        Assert.Empty(UsageModelFactory.RequestResponse().TokenDetails);
        Assert.True(UsageModelFactory.RequestResponse().IsEmpty);
        Assert.Empty(f.Languages);
        Assert.Empty(UsageModelFactory.UsageSummary().Results);
        Assert.Null(UsageModelFactory.UsageBreakdownGrouping().Tags);
    }

    [Fact]
    public async Task FromPages_enumerates_items_and_pages_and_resumes_after_a_token()
    {
        var a = UsageModelFactory.UsageRequest("a", created: Created);
        var b = UsageModelFactory.UsageRequest("b", created: Created);
        var c = UsageModelFactory.UsageRequest("c", created: Created);
        var pageable = AsyncPageable<UsageRequest>.FromPages([Page<UsageRequest>.FromValues([a, b], "next-1"), Page<UsageRequest>.FromValues([c], null)]);

        var items = new List<string>();
        await foreach (var r in pageable)
        {
            items.Add(r.RequestId!);
        }
        var resumed = new List<Page<UsageRequest>>();
        await foreach (var p in pageable.AsPages("next-1"))
        {
            resumed.Add(p);
        }

        Assert.Equal(["a", "b", "c"], items);
        Assert.Equal(["c"], resumed.Single().Values.Select(v => v.RequestId));
        Assert.Null(resumed.Single().ContinuationToken);
        Assert.Throws<ArgumentException>(() => pageable.AsPages("unknown"));
    }

    [Fact]
    public void Page_FromValues_keeps_values_and_token()
    {
        var page = Page<string>.FromValues(["x", "y"], "t");

        Assert.Equal(["x", "y"], page.Values);
        Assert.Equal("t", page.ContinuationToken);
        Assert.Contains("next = t", page.ToString());
        Assert.Throws<ArgumentNullException>(() => Page<string>.FromValues(null!, null));
        Assert.Throws<ArgumentNullException>(() => AsyncPageable<string>.FromPages(null!));
    }

    /// <summary>A hand-written mock: every member of UsageClient is virtual, and the protected constructor needs no options.</summary>
    private sealed class FakeUsageClient : UsageClient
    {
        public string? SeenProject { get; private set; }

        public override AsyncPageable<UsageRequest> GetRequestsAsync(string projectId, RequestsQuery? query = null, CancellationToken cancellationToken = default)
        {
            SeenProject = projectId;
            return AsyncPageable<UsageRequest>.FromPages(
            [
                Page<UsageRequest>.FromValues(
                [
                    UsageModelFactory.UsageRequest("r1", created: Created, response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 1.25m), code: 200)),
                    UsageModelFactory.UsageRequest("r2", created: Created, response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 0.75m), code: 200)),
                ], null),
            ]);
        }

        public override Task<UsageSummary> GetSummaryAsync(string projectId, UsageQuery? query = null, CancellationToken cancellationToken = default)
            => Task.FromResult(UsageModelFactory.UsageSummary(results: [UsageModelFactory.UsageSummaryResult(hours: 2), UsageModelFactory.UsageSummaryResult(hours: 3)]));
    }

    /// <summary>Code under test that takes a UsageClient.</summary>
    private static async Task<(decimal Cost, double Hours)> CostAndHoursAsync(UsageClient client, string projectId)
    {
        decimal cost = 0;
        await foreach (var r in client.GetRequestsAsync(projectId))
        {
            cost += r.Response?.Details?.Usd ?? 0;
        }
        var summary = await client.GetSummaryAsync(projectId);
        return (cost, summary.Results.Sum(x => x.Hours));
    }

    [Fact]
    public async Task A_subclassed_client_mocks_the_calls_without_any_HTTP()
    {
        var fake = new FakeUsageClient();

        var (cost, hours) = await CostAndHoursAsync(fake, "p-42");

        Assert.Equal(2.00m, cost);
        Assert.Equal(5, hours);
        Assert.Equal("p-42", fake.SeenProject);
    }

    [Fact]
    public void Every_public_member_of_UsageClient_is_virtual()
    {
        var members = typeof(UsageClient).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(m => m.Name != nameof(ToString));

        Assert.All(members, m => Assert.True(m.IsVirtual && !m.IsFinal, $"{m.Name} is not virtual"));
    }
}
