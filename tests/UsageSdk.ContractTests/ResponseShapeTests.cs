using UsageSdk.ContractTests.Infrastructure;

namespace UsageSdk.ContractTests;

/// <summary>
/// The responses, shaped as the vendor spec says and as the API sends them (API-NOTES.md), read by the client. Prism
/// serves a test copy of the spec with named examples (prism/add-examples.mjs; picked with <c>Prefer: example=…</c>).
/// Where an example breaks the spec's own schema because the spec is wrong, Prism lists it in <c>sl-violations</c>;
/// those tests assert that entry and name the spec defect.
/// </summary>
[Collection(ExamplesSpecCollection.Name)]
public sealed class ResponseShapeTests(ExamplesSpecFixture prism)
{
    private const string RequestId = "8f1c6a2e-1b7d-4c55-9a3e-2b8f0d6c4e11";

    private async Task<(T Value, Exchange Exchange)> ReadAsync<T>(string example, Func<UsageClient, Task<T>> call)
    {
        using var c = new ContractClient(prism.Server, example);
        var value = await call(c.Client);
        var exchange = Assert.Single(c.Recorder.Exchanges);
        ContractClient.AssertAccepted(exchange);
        return (value, exchange);
    }

    private static void AssertSpecDefect(Exchange exchange, params string[] location)
        => Assert.True(exchange.Violations.Any(v => v.Location.SequenceEqual(location)),
            $"Expected the spec to flag {string.Join('.', location)} (a known spec defect):\n{exchange}");

    private static void AssertSucceededRequest(UsageRequest r)
    {
        Assert.Equal(RequestId, r.RequestId);
        Assert.Equal("3b2f7f8e-6c1d-4f5a-9e2b-7d8c9a0b1c2d", r.ProjectId);
        Assert.Equal(new DateTimeOffset(2023, 10, 5, 22, 49, 3, TimeSpan.Zero).AddTicks(5096540), r.Created);
        Assert.Equal("/v1/listen?model=nova-3&diarize=true", r.Path);
        Assert.Equal("0e5f5c2a-9d47-4d8a-b3b7-7f2a1c9e6d10", r.ApiKeyId);
        Assert.Equal("b7f1e0c4-2a3d-4e5f-8a9b-0c1d2e3f4a5b", r.Accessor);
        Assert.Equal(Deployment.Hosted, r.Deployment);
        Assert.Equal(200, r.Code);
        var details = r.Response!.Details!;
        Assert.Equal(0.0125m, details.Usd);
        Assert.Equal(25.0, details.TotalAudio);
        Assert.Equal(2, details.Channels);
        Assert.Equal(ProcessingMethod.Sync, details.Method);
        Assert.Equal(["dev", "billing"], details.Tags);
        Assert.Equal(true, details.GetConfigBoolean("diarize"));
        Assert.Equal(true, details.GetConfigBoolean("detect_topics")); // "true" as a string on the wire
        Assert.Equal("v2", details.GetConfigString("summarize"));
        Assert.Equal(["refund"], details.GetConfigStrings("keywords"));
        var tokens = Assert.Single(r.Response.TokenDetails);
        Assert.Equal(("summarization", 1200L, 95L), (tokens.Feature, tokens.Input!.Value, tokens.Output!.Value));
        Assert.Equal("https://example.com/callback", r.Callback!.Url);
        Assert.Equal(RequestLogState.Success, r.State);
    }

    // ------------------------------------------------------------------ GET /requests/{id}

    [Fact]
    public async Task Get_one_wrapped_in_request_as_the_spec_says_parses()
    {
        var (r, exchange) = await ReadAsync("wrapped", c => c.GetRequestAsync(ContractClient.ProjectId, RequestId));
        AssertSucceededRequest(r);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Get_one_flat_as_the_API_sends_it_parses()
    {
        var (r, _) = await ReadAsync("flat", c => c.GetRequestAsync(ContractClient.ProjectId, RequestId));
        AssertSucceededRequest(r);
    }

    [Fact]
    public async Task Spec_defect_callback_as_an_object_parses()
    {
        // The spec types callback as a URL string; the classic API sends {attempts, code, completed}.
        var (r, exchange) = await ReadAsync("callback-object", c => c.GetRequestAsync(ContractClient.ProjectId, RequestId));

        Assert.Null(r.Callback!.Url);
        Assert.Equal(1, r.Callback.Attempts);
        Assert.Equal(200, r.Callback.Code);
        Assert.Equal(new DateTimeOffset(2023, 10, 5, 21, 10, 5, 500, TimeSpan.Zero), r.Callback.Completed);
        Assert.Equal(200, r.EffectiveCode); // only response.code here (classic position)
        AssertSpecDefect(exchange, "response", "body", "request", "callback");
    }

    [Fact]
    public async Task Spec_defect_callback_null_and_a_failed_request_parse()
    {
        var (r, exchange) = await ReadAsync("callback-null", c => c.GetRequestAsync(ContractClient.ProjectId, "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"));

        Assert.Null(r.Callback);
        Assert.Equal(400, r.Code);
        Assert.Equal("Bad Request: unsupported model", r.Response!.Message);
        Assert.Null(r.Response.Details);
        Assert.Equal(RequestLogState.Error, r.State);
        AssertSpecDefect(exchange, "response", "body", "request", "callback");
    }

    [Fact]
    public async Task Get_one_still_pending_with_a_null_response_parses()
    {
        var (r, _) = await ReadAsync("pending", c => c.GetRequestAsync(ContractClient.ProjectId, "9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"));

        Assert.Null(r.Response);
        Assert.Null(r.Callback);
        Assert.Equal(RequestLogState.Lost, r.State); // created in 2023 with no recorded response
    }

    // ------------------------------------------------------------------ GET /requests

    [Fact]
    public async Task A_page_of_requests_with_every_shape_parses()
    {
        using var c = new ContractClient(prism.Server, "page");
        var items = new List<UsageRequest>();
        await foreach (var r in c.Client.GetRequestsAsync(ContractClient.ProjectId))
        {
            items.Add(r);
        }

        var exchange = Assert.Single(c.Recorder.Exchanges); // 5 items < 1000: the short page ends the listing
        ContractClient.AssertAccepted(exchange);
        Assert.Equal(5, items.Count);
        AssertSucceededRequest(items[0]);
        Assert.Equal(1, items[1].Callback!.Attempts);
        Assert.Equal(ProcessingMethod.Async, items[1].Response!.Details!.Method);
        Assert.Null(items[2].Callback);
        Assert.Equal(RequestLogState.Error, items[2].State);
        Assert.Equal(120, items[3].Response!.TtsDetails!.Characters);
        Assert.Equal("aura-asteria-en", Assert.Single(items[3].Response!.TtsDetails!.SpeechSegments).Model);
        Assert.True(items[4].Response!.IsEmpty); // {} while pending
        Assert.Equal(RequestLogState.Lost, items[4].State);
        // SPEC DEFECT: callback is typed as a string; objects and null are what the classic API sends.
        AssertSpecDefect(exchange, "response", "body", "requests", "1", "callback");
        AssertSpecDefect(exchange, "response", "body", "requests", "2", "callback");
    }

    [Fact]
    public async Task An_empty_page_ends_the_listing()
    {
        using var c = new ContractClient(prism.Server, "empty");
        var count = 0;
        await foreach (var _ in c.Client.GetRequestsAsync(ContractClient.ProjectId))
        {
            count++;
        }

        Assert.Equal(0, count);
        ContractClient.AssertAccepted(Assert.Single(c.Recorder.Exchanges));
    }

    // ------------------------------------------------------------------ GET /usage

    [Fact]
    public async Task Spec_defect_summary_without_results_as_the_spec_says_parses()
    {
        // The spec lost /usage's results array in its export; a body shaped by it must still read.
        var (s, exchange) = await ReadAsync("spec", c => c.GetSummaryAsync(ContractClient.ProjectId));

        Assert.Equal(new DateOnly(2023, 10, 1), s.Start);
        Assert.Equal(new DateOnly(2023, 10, 5), s.End);
        Assert.Equal(("day", 1), (s.Resolution!.Units, s.Resolution.Amount!.Value));
        Assert.Empty(s.Results);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Summary_with_results_as_the_API_sends_it_parses()
    {
        var (s, _) = await ReadAsync("results", c => c.GetSummaryAsync(ContractClient.ProjectId));

        Assert.Equal(2, s.Results.Count);
        var first = s.Results[0];
        Assert.Equal(new DateOnly(2023, 10, 1), first.Start);
        Assert.Equal(865.7331186111111, first.Hours, 10);
        Assert.Equal(54105, first.Requests);
        Assert.Equal((24770L, 7521L), (first.Tokens!.In!.Value, first.Tokens.Out!.Value));
        Assert.Equal((9004185L, 23126L), (first.Tts!.Characters!.Value, first.Tts.Requests!.Value));
        Assert.Equal(12.5, s.Results[1].Hours);
    }

    // ------------------------------------------------------------------ GET /usage/breakdown

    [Fact]
    public async Task Breakdown_with_hours_as_strings_as_the_spec_says_parses()
    {
        var (b, exchange) = await ReadAsync("string-hours", c => c.GetBreakdownAsync(ContractClient.ProjectId, new UsageQuery().GroupBy(UsageGrouping.Models)));

        AssertBreakdown(b);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Spec_defect_breakdown_with_hours_as_numbers_parses()
    {
        // The newest spec types hours as strings (title "float"); earlier specs and the SDKs use numbers.
        var (b, exchange) = await ReadAsync("number-hours", c => c.GetBreakdownAsync(ContractClient.ProjectId));

        AssertBreakdown(b);
        AssertSpecDefect(exchange, "response", "body", "results", "0", "hours");
    }

    private static void AssertBreakdown(UsageBreakdown b)
    {
        Assert.Equal(new DateOnly(2025, 1, 16), b.Start);
        Assert.Equal(new DateOnly(2025, 1, 23), b.End);
        var r = Assert.Single(b.Results);
        Assert.Equal(1619.72, r.Hours);
        Assert.Equal(1621.74, r.TotalHours);
        Assert.Equal(41.34, r.AgentHours);
        Assert.Equal(373381, r.Requests);
        Assert.Equal(9158866, r.TtsCharacters);
        Assert.Equal(0, r.TokensIn);
        Assert.Equal(["1abfe86b-e047-4eed-858a-35e5625b41ee"], r.Grouping!.Models);
        Assert.Null(r.Grouping.Tags);
        Assert.Null(r.Grouping.Accessor);
        Assert.Equal(new DateOnly(2025, 1, 16), r.Grouping.Start);
    }

    // ------------------------------------------------------------------ GET /usage/fields

    [Fact]
    public async Task Fields_with_languages_parse()
    {
        var (f, _) = await ReadAsync("fields", c => c.GetFieldsAsync(ContractClient.ProjectId, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)));

        Assert.Equal(["dev", "production"], f.Tags);
        var model = Assert.Single(f.Models);
        Assert.Equal(("2-general-nova", "en-US", "2024-05-31.13574", "1abfe86b-e047-4eed-858a-35e5625b41ee"), (model.Name, model.Language, model.Version, model.ModelId));
        Assert.Equal(["sync", "streaming"], f.ProcessingMethods);
        Assert.Equal(["en", "en-US"], f.Languages); // not in the spec, sent by the API
        Assert.Equal(3, f.Features.Count);
    }
}
