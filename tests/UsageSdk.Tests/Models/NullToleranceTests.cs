using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Models;

/// <summary>API-NOTES checklist 1: every response property may be null (or an empty string); nothing crashes and lists are never null.</summary>
public sealed class NullToleranceTests(WireMockFixture wm) : CoreTestBase(wm)
{
    [Fact]
    public async Task A_request_with_every_member_null_is_read()
    {
        StubFixture("/v1/projects/proj-1/requests/req-1", "request-all-null.json");

        var r = await NewClient().GetRequestAsync(Project, "req-1");

        Assert.Null(r.RequestId);
        Assert.Equal(default, r.Created);
        Assert.Null(r.Deployment);
        Assert.Null(r.Code);
        Assert.Null(r.Callback);
        var d = r.Response!.Details!;
        Assert.Null(d.Usd);
        Assert.Null(d.Channels);
        Assert.Empty(d.Models);
        Assert.Empty(d.Tags);
        Assert.Empty(d.Features);
        Assert.Null(d.Config);
        Assert.Null(d.Method);
        Assert.Single(r.Response.TokenDetails);                      // the null item is dropped
        Assert.Null(r.Response.TokenDetails[0].Input);
        Assert.Single(r.Response.TtsDetails!.SpeechSegments);        // the null item is dropped
        Assert.Equal(0, r.Response.TtsDetails.Characters);
        Assert.Equal(RequestLogState.Success, r.State);              // details present
    }

    [Fact]
    public async Task A_request_with_empty_strings_is_read()
    {
        StubFixture("/v1/projects/proj-1/requests/req-1", "request-empty-strings.json");

        var r = await NewClient().GetRequestAsync(Project, "req-1");

        Assert.Equal("x", r.RequestId);
        Assert.Equal(default, r.Created);
        Assert.Equal("", r.Deployment?.ToString() ?? "");
        Assert.Null(r.Code);
        Assert.Null(r.Callback);
        var d = r.Response!.Details!;
        Assert.Null(d.Usd);
        Assert.Null(d.Duration);
        Assert.Null(d.TotalAudio);
        Assert.Null(d.Channels);
        Assert.Equal("", d.Method?.ToString() ?? "");
        Assert.Null(r.Response.Code);
        Assert.Null(r.Response.Completed);
    }

    [Fact]
    public async Task A_summary_with_every_member_null_is_read()
    {
        StubFixture("/v1/projects/proj-1/usage", "summary-all-null.json");

        var s = await NewClient().GetSummaryAsync(Project);

        Assert.Null(s.Start);
        Assert.Null(s.Resolution!.Amount);
        var r = Assert.Single(s.Results);                            // the null item is dropped
        Assert.Equal(0, r.Hours);
        Assert.Equal(0, r.TotalHours);
        Assert.Null(r.Requests);
        Assert.Null(r.Tokens!.In);
        Assert.Null(r.Tts);
    }

    [Fact]
    public async Task A_breakdown_with_every_member_null_or_empty_is_read()
    {
        StubFixture("/v1/projects/proj-1/usage/breakdown", "breakdown-all-null.json");

        var b = await NewClient().GetBreakdownAsync(Project);

        Assert.Null(b.Resolution);
        Assert.Equal(2, b.Results.Count);                            // the null item is dropped
        Assert.All(b.Results, r =>
        {
            Assert.Equal(0, r.Hours);
            Assert.Equal(0, r.TotalHours);
            Assert.Equal(0, r.AgentHours);
            Assert.Null(r.TokensIn);
            Assert.Null(r.Requests);
        });
        Assert.Equal([null], b.Results[0].Grouping!.Models);
        Assert.Null(b.Results[1].Grouping);
    }

    [Fact]
    public async Task Fields_with_every_member_null_are_read()
    {
        StubFixture("/v1/projects/proj-1/usage/fields", "fields-all-null.json");

        var f = await NewClient().GetFieldsAsync(Project);

        Assert.Empty(f.Tags);
        Assert.Single(f.Models);                                     // the null item is dropped
        Assert.Null(f.Models[0].Name);
        Assert.Empty(f.ProcessingMethods);
        Assert.Empty(f.Languages);
        Assert.Equal(["diarize"], f.Features);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("[\"https://a\"]")]
    public async Task A_callback_of_an_unexpected_type_reads_as_null(string callback)
    {
        StubJson("/v1/projects/proj-1/requests/req-1", $$"""{"request_id":"x","callback":{{callback}},"path":"/v1/listen"}""");

        var r = await NewClient().GetRequestAsync(Project, "req-1");

        Assert.Null(r.Callback);
        Assert.Equal("/v1/listen", r.Path);                          // the rest of the item was read
    }
}
