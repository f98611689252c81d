using System.Globalization;
using UsageSdk.Tests.Infrastructure;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests.Internal;

/// <summary>The retry handler on the wire (WireMock), with a fake clock: every wait is asserted, then advanced.</summary>
public sealed class RetryTests : IClassFixture<WireMockFixture>
{
    private const string Key = "dg-test-key-4f1c-resilience-0001";
    private readonly WireMockFixture _wm;

    public RetryTests(WireMockFixture wm)
    {
        _wm = wm;
        _wm.Server.Reset();
    }

    private UsageClient Client(RecordingTimeProvider time, Action<UsageRetryOptions>? retry = null)
    {
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = _wm.BaseAddress, TimeProvider = time };
        options.Retry.TryTimeout = RecordingTimeProvider.TryTimeout;
        retry?.Invoke(options.Retry);
        return new UsageClient(options);
    }

    [Fact]
    public async Task Two_503s_then_200_is_three_requests_and_succeeds_with_exponential_jittered_waits()
    {
        var path = TestApi.SummaryPath("proj-503-503-200");
        _wm.Sequence(path, TestApi.Status(503), TestApi.Status(503), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time, r => { r.Delay = TimeSpan.FromSeconds(2); r.MaxDelay = TimeSpan.FromSeconds(30); });

        var call = client.GetSummaryAsync("proj-503-503-200");
        var first = await time.NextWaitAsync();
        Assert.InRange(first, TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4)); // Delay ± 20 %
        Assert.False(call.IsCompleted);
        time.Advance(first);
        var second = await time.NextWaitAsync();
        Assert.InRange(second, TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4.8)); // doubled
        time.Advance(second);
        var summary = await call;

        Assert.Equal(2, summary.Results.Count);
        Assert.Equal(3, _wm.Hits(path));
        Assert.All(_wm.AuthorizationHeaders(path), h => Assert.Equal("Token " + Key, h));
    }

    [Fact]
    public async Task Back_off_is_capped_by_MaxDelay()
    {
        var path = TestApi.SummaryPath("proj-maxdelay");
        _wm.Sequence(path, TestApi.Status(500), TestApi.Status(502), TestApi.Status(504), TestApi.Status(500), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time, r => { r.MaxRetries = 4; r.Delay = TimeSpan.FromSeconds(2); r.MaxDelay = TimeSpan.FromSeconds(5); });

        var call = client.GetSummaryAsync("proj-maxdelay");
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            waits.Add(await time.NextWaitAsync());
            time.Advance(waits[^1]);
        }
        await call;

        Assert.Equal(TimeSpan.FromSeconds(5), waits[2]); // 8 s ± 20 % capped at 5 s
        Assert.Equal(TimeSpan.FromSeconds(5), waits[3]);
        Assert.Equal(5, _wm.Hits(path));
    }

    [Fact]
    public async Task A_429_with_Retry_After_one_second_waits_one_second_on_the_TimeProvider_and_succeeds()
    {
        var path = TestApi.SummaryPath("proj-429");
        _wm.Sequence(path, TestApi.Status(429).WithHeader("Retry-After", "1"), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time);

        var call = client.GetSummaryAsync("proj-429");
        Assert.Equal(TimeSpan.FromSeconds(1), await time.NextWaitAsync());
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(call.IsCompleted); // still waiting: the wait really is on the fake clock
        Assert.Equal(1, _wm.Hits(path));
        time.Advance(TimeSpan.FromMilliseconds(1));
        var summary = await call;

        Assert.Equal(2, summary.Results.Count);
        Assert.Equal(2, _wm.Hits(path));
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_honoured()
    {
        var path = TestApi.SummaryPath("proj-429-date");
        var time = new RecordingTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var date = time.GetUtcNow().AddSeconds(5).ToString("r", CultureInfo.InvariantCulture); // Sat, 01 Mar 2025 12:00:05 GMT
        _wm.Sequence(path, TestApi.Status(503).WithHeader("Retry-After", date), TestApi.Ok());
        var client = Client(time);

        var call = client.GetSummaryAsync("proj-429-date");
        Assert.Equal(TimeSpan.FromSeconds(5), await time.NextWaitAsync());
        time.Advance(TimeSpan.FromSeconds(5));
        await call;

        Assert.Equal(2, _wm.Hits(path));
    }

    [Fact]
    public async Task A_Retry_After_of_a_day_is_capped_at_MaxRetryAfter()
    {
        var path = TestApi.SummaryPath("proj-429-day");
        _wm.Sequence(path, TestApi.Status(429).WithHeader("Retry-After", "86400"), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time, r => r.MaxRetryAfter = TimeSpan.FromSeconds(7));

        var call = client.GetSummaryAsync("proj-429-day");
        Assert.Equal(TimeSpan.FromSeconds(7), await time.NextWaitAsync());
        time.Advance(TimeSpan.FromSeconds(7));
        await call;

        Assert.Equal(2, _wm.Hits(path));
    }

    [Fact]
    public async Task Retries_stop_at_the_budget_with_the_last_status_and_the_attempts()
    {
        var path = TestApi.SummaryPath("proj-budget");
        _wm.Sequence(path, TestApi.Status(503), TestApi.Status(503), TestApi.Status(502));
        var time = new RecordingTimeProvider();
        var client = Client(time, r => { r.MaxRetries = 2; r.Delay = TimeSpan.FromSeconds(1); r.MaxDelay = TimeSpan.FromSeconds(1); });

        var call = client.GetSummaryAsync("proj-budget");
        for (var i = 0; i < 2; i++)
        {
            var wait = await time.NextWaitAsync();
            Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1));
            time.Advance(wait);
        }
        var e = await Assert.ThrowsAsync<UsageApiException>(() => call);

        Assert.Equal(502, e.Status);
        Assert.Equal(3, e.Attempts); // MaxRetries + 1
        Assert.Equal("E502", e.ErrorCode);
        Assert.Contains("Tried 3 times", e.Message);
        Assert.Equal(3, _wm.Hits(path));
        Assert.Equal(0, time.PendingWaits); // no fourth wait
    }

    [Fact]
    public async Task MaxRetries_zero_sends_once()
    {
        var path = TestApi.SummaryPath("proj-noretry");
        _wm.Sequence(path, TestApi.Status(503), TestApi.Ok());
        var client = Client(new RecordingTimeProvider(), r => r.MaxRetries = 0);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("proj-noretry"));

        Assert.Equal(503, e.Status);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(1, _wm.Hits(path));
    }

    [Fact]
    public async Task Client_errors_other_than_408_and_429_are_not_retried()
    {
        var path = TestApi.SummaryPath("proj-404");
        _wm.Sequence(path, TestApi.Status(404), TestApi.Ok());
        var client = Client(new RecordingTimeProvider());

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("proj-404"));

        Assert.Equal(404, e.Status);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(1, _wm.Hits(path));
    }

    [Fact]
    public async Task A_408_is_retried()
    {
        var path = TestApi.SummaryPath("proj-408");
        _wm.Sequence(path, TestApi.Status(408), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time);

        var call = client.GetSummaryAsync("proj-408");
        time.Advance(await time.NextWaitAsync());
        await call;

        Assert.Equal(2, _wm.Hits(path));
    }

    [Fact]
    public async Task A_slow_response_hits_the_per_try_timeout_and_every_try_is_cut()
    {
        var path = TestApi.SummaryPath("proj-slow");
        // Far longer than the test takes to advance the fake clock: the per-try timeout, not the server, ends each try.
        _wm.Sequence(path, TestApi.Ok().WithDelay(TimeSpan.FromSeconds(5)));
        var time = new RecordingTimeProvider();
        var client = Client(time, r => { r.MaxRetries = 1; r.Delay = TimeSpan.FromSeconds(1); });

        var call = client.GetSummaryAsync("proj-slow");
        Assert.Equal(RecordingTimeProvider.TryTimeout, await time.NextTryAsync());
        time.Advance(RecordingTimeProvider.TryTimeout);
        time.Advance(await time.NextWaitAsync());
        Assert.Equal(RecordingTimeProvider.TryTimeout, await time.NextTryAsync());
        time.Advance(RecordingTimeProvider.TryTimeout);
        var e = await Assert.ThrowsAsync<UsageApiException>(() => call);

        Assert.Equal(0, e.Status);
        Assert.Equal(2, e.Attempts);
        Assert.Contains("timed out", e.Message);
        Assert.IsType<TimeoutException>(e.InnerException, exactMatch: false);
    }

    [Fact]
    public async Task The_overall_Timeout_spans_the_retries_and_their_waits()
    {
        var path = TestApi.SummaryPath("proj-overall");
        _wm.Sequence(path, TestApi.Status(429).WithHeader("Retry-After", "30"));
        var time = new RecordingTimeProvider { Budgets = { TimeSpan.FromSeconds(40) } };
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = _wm.BaseAddress, TimeProvider = time, Timeout = TimeSpan.FromSeconds(40) };
        options.Retry.TryTimeout = RecordingTimeProvider.TryTimeout;
        options.Retry.MaxRetryAfter = TimeSpan.FromSeconds(30);

        var call = new UsageClient(options).GetSummaryAsync("proj-overall");
        Assert.Equal(TimeSpan.FromSeconds(40), await time.NextBudgetAsync()); // the budget is kept on the client's clock
        Assert.Equal(TimeSpan.FromSeconds(30), await time.NextWaitAsync());
        time.Advance(TimeSpan.FromSeconds(30)); // first wait done: 30 s of the 40 s budget spent
        Assert.Equal(TimeSpan.FromSeconds(30), await time.NextWaitAsync());
        time.Advance(TimeSpan.FromSeconds(10)); // the budget runs out in the middle of the second wait
        var e = await Assert.ThrowsAsync<UsageApiException>(() => call);

        Assert.Equal(0, e.Status);
        Assert.Contains("timed out", e.Message);
        Assert.Contains("Timeout of 40 s", e.Message);
        Assert.Equal(2, e.Attempts);
        Assert.Equal(2, _wm.Hits(path));
    }

    [Fact]
    public async Task Cancelling_during_a_wait_stops_at_once_with_OperationCanceledException()
    {
        var path = TestApi.SummaryPath("proj-cancel");
        _wm.Sequence(path, TestApi.Status(429).WithHeader("Retry-After", "30"), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time);
        using var cts = new CancellationTokenSource();

        var call = client.GetSummaryAsync("proj-cancel", cancellationToken: cts.Token);
        Assert.Equal(TimeSpan.FromSeconds(30), await time.NextWaitAsync());
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, _wm.Hits(path));
    }
}
