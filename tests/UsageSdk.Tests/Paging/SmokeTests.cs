using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests.Paging;

/// <summary>The lead's first end-to-end check of the core client, kept as is.</summary>
public sealed class SmokeTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private WireMockFixture Fixture => Wm;

    [Fact]
    public async Task Lists_two_pages_and_stops_on_short_page()
    {
        const string page0 = """{"page":0,"limit":2,"requests":[{"request_id":"a","created":"2025-01-02T00:00:00Z","response":{"details":{"usd":0.5,"config":{"diarize":"true","keywords":["x"]}},"code":200,"completed":"2025-01-02T00:00:01Z"},"callback":"https://cb"},{"request_id":"b","created":"2025-01-01T00:00:00Z","response":null,"callback":{"attempts":1,"code":200,"completed":"2025-01-01T00:00:02Z"}}]}""";
        const string page1 = """{"page":1,"limit":2,"requests":[{"request_id":"b","created":"2025-01-01T00:00:00Z","response":{}},{"request_id":"c","created":"2024-12-31T00:00:00Z","code":500,"response":{"message":"boom"}}]}""";
        const string page2 = """{"page":2,"limit":2,"requests":[]}""";
        Fixture.Server.Given(Request.Create().WithPath("/v1/projects/p1/requests").WithParam("page", "0")).RespondWith(Response.Create().WithBody(page0).WithHeader("Content-Type", "application/json"));
        Fixture.Server.Given(Request.Create().WithPath("/v1/projects/p1/requests").WithParam("page", "1")).RespondWith(Response.Create().WithBody(page1).WithHeader("Content-Type", "application/json"));
        Fixture.Server.Given(Request.Create().WithPath("/v1/projects/p1/requests").WithParam("page", "2")).RespondWith(Response.Create().WithBody(page2).WithHeader("Content-Type", "application/json"));

        var client = new UsageClient(new UsageClientOptions { ApiKey = "k", BaseAddress = Fixture.BaseAddress });
        var q = new RequestsQuery().Between(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero)).WithPageSize(2);
        var items = new List<UsageRequest>();
        await foreach (var r in client.GetRequestsAsync("p1", q))
        {
            items.Add(r);
        }

        Assert.Equal(["a", "b", "c"], items.Select(i => i.RequestId));
        Assert.Equal(true, items[0].Response!.Details!.GetConfigBoolean("diarize"));
        Assert.Equal("https://cb", items[0].Callback!.Url);
        Assert.Equal(1, items[1].Callback!.Attempts);
        Assert.Equal(RequestLogState.Success, items[0].State);
        Assert.Equal(RequestLogState.Lost, items[1].State);
        Assert.Equal(RequestLogState.Error, items[2].State);
        Assert.Equal("start=2024-01-01T00%3A00%3A00%2B02%3A00&end=2025-02-01T00%3A00%3A00Z&limit=2&page=0", Fixture.Server.LogEntries.OrderBy(e => e.RequestMessage!.DateTime).First().RequestMessage!.RawQuery?.TrimStart((char)63));
    }
}
