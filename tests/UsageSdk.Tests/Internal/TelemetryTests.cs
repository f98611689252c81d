using System.Diagnostics;
using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests.Internal;

/// <summary>Activities (ActivityListener) and metrics (MeterListener) of the SDK, filtered by each test's project id.</summary>
public sealed class TelemetryTests : IClassFixture<WireMockFixture>
{
    private const string Key = "dg-test-key-4f1c-telemetry-9876";
    private readonly WireMockFixture _wm;

    public TelemetryTests(WireMockFixture wm)
    {
        _wm = wm;
        _wm.Server.Reset();
    }

    private UsageClient Client(TimeProvider? time = null, Action<UsageRetryOptions>? retry = null)
    {
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = _wm.BaseAddress, TimeProvider = time ?? TimeProvider.System };
        options.Retry.Delay = TimeSpan.Zero;
        options.Retry.TryTimeout = RecordingTimeProvider.TryTimeout;
        retry?.Invoke(options.Retry);
        return new UsageClient(options);
    }

    [Fact]
    public async Task A_call_is_one_activity_with_operation_project_item_count_and_attempts()
    {
        const string project = "proj-tel-summary";
        _wm.Sequence(TestApi.SummaryPath(project), TestApi.Status(503), TestApi.Ok());
        using var capture = new TelemetryCapture(project);

        await Client().GetSummaryAsync(project);

        var a = Assert.Single(capture.Activities);
        Assert.Equal(UsageClientDiagnostics.ActivitySourceName, a.Source.Name);
        Assert.Equal("UsageClient.GetSummary", a.DisplayName);
        Assert.Equal(ActivityKind.Internal, a.Kind);
        Assert.Equal("GetSummary", a.GetTagItem("usage.operation"));
        Assert.Equal(2, a.GetTagItem("usage.item_count"));
        Assert.Equal(2, a.GetTagItem("usage.attempts"));
        Assert.Equal("127.0.0.1", a.GetTagItem("server.address"));
        Assert.Equal(ActivityStatusCode.Unset, a.Status);
        Assert.Null(a.GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_failed_call_marks_the_activity_with_the_status_and_no_tag_carries_the_key()
    {
        const string project = "proj-tel-401";
        // A server that echoes the key back in its error body: nothing of it may reach telemetry or the exception.
        _wm.Server.Given(Request.Create().WithPath(TestApi.SummaryPath(project)))
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials: Token {{Key}}","request_id":"req-401"}"""));
        using var capture = new TelemetryCapture(project);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Client().GetSummaryAsync(project));

        var a = Assert.Single(capture.Activities);
        Assert.Equal(ActivityStatusCode.Error, a.Status);
        Assert.Equal("401", a.GetTagItem("error.type"));
        Assert.Equal(401, a.GetTagItem("http.response.status_code"));
        Assert.Equal("INVALID_AUTH", a.GetTagItem("usage.error_code"));
        Assert.Contains(a.Events, ev => ev.Name == "exception");
        var error = Assert.Single(capture.Measurements("usage.client.calls"));
        Assert.Equal("error", error.Tags["usage.outcome"]);
        Assert.Equal("401", error.Tags["error.type"]);
        Assert.NotEmpty(capture.AllText());
        Assert.All(capture.AllText(), text => Assert.DoesNotContain(Key, text));
        Assert.DoesNotContain(Key, e.ToString());
        Assert.DoesNotContain(Key, e.ResponseContent ?? "");
    }

    [Fact]
    public async Task A_listing_has_one_activity_per_page_with_page_number_and_item_count_and_counts_pages_and_items()
    {
        const string project = "proj-tel-pages";
        var path = $"/v1/projects/{project}/requests";
        _wm.Server.Given(Request.Create().WithPath(path).WithParam("page", "0")).RespondWith(TestApi.Ok(
            """{"page":0,"limit":2,"requests":[{"request_id":"r1","created":"2025-01-02T00:00:00Z"},{"request_id":"r2","created":"2025-01-02T00:00:00Z"}]}"""));
        _wm.Server.Given(Request.Create().WithPath(path).WithParam("page", "1")).RespondWith(TestApi.Ok(
            """{"page":1,"limit":2,"requests":[{"request_id":"r3","created":"2025-01-01T00:00:00Z"}]}"""));
        using var capture = new TelemetryCapture(project);

        var items = new List<UsageRequest>();
        await foreach (var r in Client().GetRequestsAsync(project, new RequestsQuery().WithPageSize(2)))
        {
            items.Add(r);
        }

        Assert.Equal(3, items.Count);
        var pages = capture.Activities.OrderBy(a => (int)a.GetTagItem("usage.page")!).ToList();
        Assert.Equal(2, pages.Count);
        Assert.All(pages, a => Assert.Equal("UsageClient.GetRequests", a.DisplayName));
        Assert.Equal([0, 1], pages.Select(a => (int)a.GetTagItem("usage.page")!));
        Assert.Equal([2, 1], pages.Select(a => (int)a.GetTagItem("usage.item_count")!));
        Assert.Equal(2, capture.Sum("usage.client.pages"));
        Assert.Equal(3, capture.Sum("usage.client.items"));
        Assert.Equal(2, capture.Sum("usage.client.calls"));
    }

    [Fact]
    public async Task Metrics_count_calls_retries_rate_limit_waits_and_record_the_duration_on_the_clock()
    {
        const string project = "proj-tel-metrics";
        var time = new RecordingTimeProvider();
        _wm.Sequence(TestApi.SummaryPath(project), TestApi.Status(429).WithHeader("Retry-After", "2"), TestApi.Status(503), TestApi.Ok());
        using var capture = new TelemetryCapture(project);
        var client = Client(time, r => { r.Delay = TimeSpan.FromSeconds(1); r.MaxDelay = TimeSpan.FromSeconds(1); });

        var call = client.GetSummaryAsync(project);
        var first = await time.NextWaitAsync();
        time.Advance(first);
        var second = await time.NextWaitAsync();
        time.Advance(second);
        await call;

        var calls = Assert.Single(capture.Measurements("usage.client.calls"));
        Assert.Equal(1, calls.Value);
        Assert.Equal("GetSummary", calls.Tags["usage.operation"]);
        Assert.Equal("ok", calls.Tags["usage.outcome"]);
        var retries = capture.Measurements("usage.client.retries");
        Assert.Equal([429, 503], retries.Select(m => (int)m.Tags["http.response.status_code"]!).Order());
        var wait = Assert.Single(capture.Measurements("usage.client.rate_limit_waits"));
        Assert.Equal("GetSummary", wait.Tags["usage.operation"]);
        var duration = Assert.Single(capture.Measurements("usage.client.duration"));
        Assert.Equal((first + second).TotalSeconds, duration.Value, precision: 6); // the fake clock's time, waits included
        Assert.Equal(TimeSpan.FromSeconds(2), first);
    }

    [Fact]
    public async Task A_body_fetched_again_and_a_503_count_as_retries_and_the_activity_has_every_try()
    {
        const string project = "proj-tel-mixed";
        var path = TestApi.SummaryPath(project);
        var truncated = TestApi.Ok(TestApi.SummaryJson[..(TestApi.SummaryJson.Length / 2)]);
        _wm.Sequence(path, truncated, TestApi.Status(503), truncated, TestApi.Ok());
        using var capture = new TelemetryCapture(project);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Client(retry: r => r.MaxRetries = 2).GetSummaryAsync(project));

        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, _wm.Hits(path));
        var a = Assert.Single(capture.Activities);
        Assert.Equal(3, a.GetTagItem("usage.attempts"));
        Assert.Equal(200, a.GetTagItem("http.response.status_code"));
        // Two retries for three tries: the body fetched again (status 0, as a network error) and the 503.
        var retries = capture.Measurements("usage.client.retries");
        Assert.Equal([0, 503], retries.Select(m => (int)m.Tags["http.response.status_code"]!).Order());
        Assert.All(retries, m => Assert.Equal("GetSummary", m.Tags["usage.operation"]));
    }

    [Fact]
    public void Instruments_are_published_under_the_documented_names()
    {
        var names = new HashSet<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (i, _) =>
            {
                if (i.Meter.Name == UsageClientDiagnostics.MeterName)
                {
                    lock (names)
                    {
                        names.Add(i.Name + "|" + i.Unit + "|" + i.GetType().Name.Split('`')[0]);
                    }
                }
            },
        };
        listener.Start();

        Assert.Equal(
            new[]
            {
                "usage.client.calls|{call}|Counter", "usage.client.duration|s|Histogram", "usage.client.items|{item}|Counter",
                "usage.client.pages|{page}|Counter", "usage.client.rate_limit_waits|{wait}|Counter", "usage.client.retries|{retry}|Counter",
                "usage.client.unreadable_members|{member}|Counter",
            },
            names.Order());
    }
}
