using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Models;

/// <summary>
/// A member that cannot be read as its type (a <c>usd</c> of <c>1e400</c>, a <c>code</c> of <c>1.1</c> as the vendor's
/// mock data sends, a <c>created</c> that is no timestamp) costs only that member: it is kept raw in
/// <see cref="UsageRequest.UnreadableMembers"/>, the typed property is null, the item is yielded, the listing goes on,
/// and the count is logged (event 4003) and measured (<c>usage.client.unreadable_members</c>).
/// </summary>
public sealed class UnreadableMemberTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string Metric = "usage.client.unreadable_members";

    private static string Item(string id, string members)
        => $$"""{"request_id":"{{id}}","created":"2025-02-28T10:00:00Z","path":"/v1/listen",{{members}}}""";

    private static string Good(string id) => Item(id, """ "response":{"details":{"usd":0.25},"code":200}""");

    private (UsageClient Client, FakeLogCollector Logs, ILoggerFactory Factory) LoggingClient(string project)
    {
        var logs = new FakeLogCollector();
        var factory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var client = new UsageClient(new UsageClientOptions
        {
            ApiKey = Key,
            BaseAddress = Wm.BaseAddress,
            Retry = new UsageRetryOptions { MaxRetries = 0 },
            TimeProvider = NewClock(),
            LoggerFactory = factory,
        });
        return (client, logs, factory);
    }

    private static async Task<List<Page<UsageRequest>>> PagesAsync(AsyncPageable<UsageRequest> pageable)
    {
        var list = new List<Page<UsageRequest>>();
        await foreach (var p in pageable.AsPages())
        {
            list.Add(p);
        }
        return list;
    }

    public static TheoryData<string, string, string> BadMembers => new()
    {
        // members of the bad item, the path it is kept under, its raw JSON
        { """ "response":{"details":{"usd":1e400,"duration":2.5},"code":200}""", "response.details.usd", "1e400" },
        { """ "code":1.1,"response":{"details":{"usd":0.25}}""", "code", "1.1" },
        { """ "response":{"details":{"usd":0.25},"code":1.1}""", "response.code", "1.1" },
        { """ "response":{"details":{"usd":0.25,"channels":"two"}}""", "response.details.channels", "\"two\"" },
        { """ "response":{"token_details":[{"feature":"s","input":1.5}]}""", "response.token_details[0].input", "1.5" },
        { """ "response":{"details":{"usd":0.25}},"callback":{"attempts":2.5}""", "callback", """{"attempts":2.5}""" },
    };

    [Theory]
    [MemberData(nameof(BadMembers))]
    public async Task An_unreadable_member_is_kept_raw_and_the_item_and_the_listing_go_on(string members, string path, string raw)
    {
        var project = "proj-unreadable-" + Math.Abs(path.GetHashCode(StringComparison.Ordinal));
        StubPage(0, $$"""{"page":0,"limit":2,"requests":[{{Item("bad", members)}},{{Good("good")}}]}""", project);
        StubPage(1, $$"""{"page":1,"limit":2,"requests":[{{Good("next")}}]}""", project);
        using var telemetry = new TelemetryCapture(project);
        var (client, logs, factory) = LoggingClient(project);
        using var _ = factory;

        var pages = await PagesAsync(client.GetRequestsAsync(project, new RequestsQuery().WithPageSize(2)));

        Assert.Equal([["bad", "good"], ["next"]], pages.Select(p => p.Values.Select(v => v.RequestId!).ToArray()));
        var bad = pages[0].Values[0];
        Assert.Equal(raw, Assert.Single(bad.UnreadableMembers, m => m.Key == path).Value.GetRawText());
        Assert.Single(bad.UnreadableMembers);
        Assert.Equal("/v1/listen", bad.Path);                           // the rest of the item is read
        Assert.Equal(new DateTimeOffset(2025, 2, 28, 10, 0, 0, TimeSpan.Zero), bad.Created);
        Assert.All(pages.SelectMany(p => p.Values).Skip(1), r => Assert.Empty(r.UnreadableMembers));
        Assert.Equal(0.25m, pages[0].Values[1].Response!.Details!.Usd);  // the good item of the same page is whole
        Assert.Equal(1, telemetry.Sum(Metric));
        var log = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4003);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal("1", log.GetStructuredStateValue("Count"));
        Assert.Equal("0", log.GetStructuredStateValue("Page"));
        Assert.Equal("requests[0]." + path, log.GetStructuredStateValue("FirstMember"));
    }

    [Fact]
    public async Task The_typed_properties_of_unreadable_members_are_null()
    {
        StubPage(0, $$"""{"page":0,"limit":5,"requests":[{{Item("x", """ "code":1.1,"response":{"details":{"usd":1e400,"duration":2.5,"streams":1e30},"code":1.1,"completed":"2025-02-28T10:00:01Z"}""")}}]}""");

        var items = new List<UsageRequest>();
        await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(5)))
        {
            items.Add(r);
        }

        var x = Assert.Single(items);
        Assert.Null(x.Code);
        Assert.Null(x.Response!.Code);
        Assert.Null(x.Response.Details!.Usd);
        Assert.Null(x.Response.Details.Streams);
        Assert.Equal(2.5, x.Response.Details.Duration);
        Assert.Equal(["code", "response.code", "response.details.streams", "response.details.usd"], x.UnreadableMembers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(RequestLogState.Success, x.State);                   // derived from what was read
    }

    [Theory]
    [InlineData("\"page\":1.1,\"limit\":2", "page")]
    [InlineData("\"page\":0,\"limit\":1.1", "limit")]
    [InlineData("\"page\":\"first\",\"limit\":{}", "page")]
    public async Task An_unreadable_page_or_limit_is_counted_and_the_page_is_read(string header, string first)
    {
        var project = "proj-unreadable-page-" + first + header.Length;
        StubPage(0, $$"""{{{header}},"requests":[{{Good("a")}},{{Good("b")}}]}""", project);
        StubPage(1, $$"""{"page":1,"limit":2,"requests":[]}""", project);
        using var telemetry = new TelemetryCapture(project);
        var (client, logs, factory) = LoggingClient(project);
        using var _ = factory;

        var pages = await PagesAsync(client.GetRequestsAsync(project, new RequestsQuery().WithPageSize(2)));

        Assert.Equal([["a", "b"], []], pages.Select(p => p.Values.Select(v => v.RequestId!).ToArray()));
        Assert.All(pages[0].Values, r => Assert.Empty(r.UnreadableMembers));
        var expected = header.Contains("{}", StringComparison.Ordinal) ? 2 : 1;
        Assert.Equal(expected, telemetry.Sum(Metric));
        var log = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4003);
        Assert.Equal(first, log.GetStructuredStateValue("FirstMember"));
    }

    [Theory]
    [InlineData("\"not a date\"")]
    [InlineData("\"2025-13-45T99:00:00Z\"")]
    [InlineData("1740736800")]
    [InlineData("{\"at\":1}")]
    public async Task An_unparseable_created_is_kept_raw_not_silently_year_0001(string created)
    {
        var project = "proj-unreadable-created-" + created.Length;
        StubPage(0, $$"""{"page":0,"limit":5,"requests":[{"request_id":"c","created":{{created}},"path":"/v1/listen"}]}""", project);
        using var telemetry = new TelemetryCapture(project);

        var items = new List<UsageRequest>();
        await foreach (var r in NewClient().GetRequestsAsync(project, new RequestsQuery().WithPageSize(5)))
        {
            items.Add(r);
        }

        var c = Assert.Single(items);
        Assert.Equal(DateTimeOffset.MinValue, c.Created);
        Assert.Equal(created, c.UnreadableMembers["created"].GetRawText());
        Assert.Equal("/v1/listen", c.Path);
        Assert.Equal(1, telemetry.Sum(Metric));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    public async Task A_null_or_empty_created_is_absent_not_unreadable(string created)
    {
        StubPage(0, $$"""{"page":0,"limit":5,"requests":[{"request_id":"c","created":{{created}}}]}""");

        var items = new List<UsageRequest>();
        await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(5)))
        {
            items.Add(r);
        }

        Assert.Equal(DateTimeOffset.MinValue, Assert.Single(items).Created);
        Assert.Empty(items[0].UnreadableMembers);
    }

    [Fact]
    public async Task An_item_that_is_not_an_object_is_counted_and_still_fills_the_page()
    {
        const string project = "proj-unreadable-item";
        StubPage(0, $$"""{"page":0,"limit":3,"requests":[{{Good("a")}},42,{{Good("b")}}]}""", project);
        StubPage(1, $$"""{"page":1,"limit":3,"requests":[{{Good("c")}}]}""", project);
        using var telemetry = new TelemetryCapture(project);

        var pages = await PagesAsync(NewClient().GetRequestsAsync(project, new RequestsQuery().WithPageSize(3)));

        Assert.Equal([["a", "b"], ["c"]], pages.Select(p => p.Values.Select(v => v.RequestId!).ToArray()));
        Assert.Equal(1, telemetry.Sum(Metric));
    }

    [Fact]
    public async Task A_page_that_is_not_valid_JSON_still_fails_with_its_token()
    {
        StubPage(0, $$"""{"page":0,"limit":2,"requests":[{{Item("a", """ "code":1.1""")}},""");

        var e = await Assert.ThrowsAsync<UsageApiException>(async () =>
        {
            await foreach (var _ in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)))
            {
            }
        });

        Assert.Contains("could not be read as JSON", e.Message);
        Assert.NotNull(e.ContinuationToken);
    }

    [Fact]
    public async Task GetRequestAsync_keeps_an_unreadable_member_raw_and_logs_it()
    {
        const string project = "proj-unreadable-get";
        StubJson($"/v1/projects/{project}/requests/req-1", Item("req-1", """ "response":{"details":{"usd":1e400}}"""));
        using var telemetry = new TelemetryCapture(project);
        var (client, logs, factory) = LoggingClient(project);
        using var _ = factory;

        var r = await client.GetRequestAsync(project, "req-1");

        Assert.Equal("req-1", r.RequestId);
        Assert.Null(r.Response!.Details!.Usd);
        Assert.Equal("1e400", r.UnreadableMembers["response.details.usd"].GetRawText());
        Assert.Equal(1, telemetry.Sum(Metric));
        Assert.Equal("response.details.usd", Assert.Single(logs.GetSnapshot(), l => l.Id.Id == 4003).GetStructuredStateValue("FirstMember"));
    }

    [Fact]
    public void UsageJson_reads_a_stored_request_as_leniently_as_the_client()
    {
        var r = UsageJson.DeserializeRequest(Item("s", """ "code":1.1"""));

        Assert.Equal("s", r.RequestId);
        Assert.Null(r.Code);
        Assert.Equal("1.1", r.UnreadableMembers["code"].GetRawText());
    }
}
