using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using UsageSdk.Internal;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Internal;

/// <summary>
/// Retries and Retry-After, in one place: on the wire (WireMock) with a fake clock where every wait is asserted, then
/// advanced; the wait a Retry-After asks for as the exception reports it; and the retry handler and the handler chain
/// without a server.
/// </summary>
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
    public async Task Retry_After_as_an_HTTP_date_is_read_on_the_clients_clock()
    {
        // Not retried: the exception carries the wait the server asked for, measured on the client's clock (12:00:00).
        var path = TestApi.SummaryPath("proj-503-date");
        var time = new RecordingTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _wm.Sequence(path, TestApi.Status(503).WithHeader("Retry-After", "Sat, 01 Mar 2025 12:00:30 GMT"));
        var client = Client(time, r => r.MaxRetries = 0);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("proj-503-date"));

        Assert.Equal(TimeSpan.FromSeconds(30), e.RetryAfter);
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

    // One budget per call: header failures (the retry handler) and bodies fetched again (the client) draw on the same
    // MaxRetries + 1 tries. A body cut short is valid headers and a 200 whose JSON ends mid-way.

    /// <summary>A 200 whose JSON breaks off in the middle: the headers are fine, the body is not.</summary>
    private static WireMock.ResponseBuilders.IResponseBuilder Truncated() => TestApi.Ok(TestApi.SummaryJson[..(TestApi.SummaryJson.Length / 2)]);

    [Fact]
    public async Task A_503_then_a_truncated_body_then_a_503_spends_the_budget_of_two_retries_in_three_tries()
    {
        var path = TestApi.SummaryPath("proj-mix-budget");
        _wm.Sequence(path, TestApi.Status(503), Truncated(), TestApi.Status(503), TestApi.Ok());
        var client = Client(new RecordingTimeProvider(), r => { r.MaxRetries = 2; r.Delay = TimeSpan.Zero; });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("proj-mix-budget"));

        Assert.Equal(503, e.Status);
        Assert.Equal(3, e.Attempts);
        Assert.Contains("Tried 3 times", e.Message);
        Assert.Equal(3, _wm.Hits(path)); // the fourth answer, a 200, is never asked for
    }

    [Fact]
    public async Task A_truncated_body_then_a_503_then_a_200_succeeds_within_the_budget_in_three_tries()
    {
        var path = TestApi.SummaryPath("proj-mix-ok");
        _wm.Sequence(path, Truncated(), TestApi.Status(503), TestApi.Ok());
        var client = Client(new RecordingTimeProvider(), r => { r.MaxRetries = 2; r.Delay = TimeSpan.Zero; });

        var summary = await client.GetSummaryAsync("proj-mix-ok");

        Assert.Equal(2, summary.Results.Count);
        Assert.Equal(3, _wm.Hits(path));
    }

    [Fact]
    public async Task A_truncated_body_after_the_header_retries_spent_the_budget_is_not_fetched_again()
    {
        var path = TestApi.SummaryPath("proj-mix-last");
        _wm.Sequence(path, TestApi.Status(503), TestApi.Status(502), Truncated(), TestApi.Ok());
        var client = Client(new RecordingTimeProvider(), r => { r.MaxRetries = 2; r.Delay = TimeSpan.Zero; });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("proj-mix-last"));

        Assert.Equal(200, e.Status);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, _wm.Hits(path));
    }

    [Fact]
    public async Task A_truncated_body_then_header_failures_stop_at_the_budget_with_the_last_status()
    {
        var path = TestApi.SummaryPath("proj-mix-headers");
        _wm.Sequence(path, Truncated(), TestApi.Status(503), TestApi.Status(429), TestApi.Status(500), TestApi.Ok());
        var client = Client(new RecordingTimeProvider(), r => { r.MaxRetries = 3; r.Delay = TimeSpan.Zero; });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("proj-mix-headers"));

        Assert.Equal(500, e.Status);
        Assert.Equal(4, e.Attempts);
        Assert.Equal(4, _wm.Hits(path));
    }

    [Fact]
    public async Task A_back_off_after_a_body_fetched_again_is_that_of_the_calls_second_retry()
    {
        var path = TestApi.SummaryPath("proj-mix-backoff");
        _wm.Sequence(path, Truncated(), TestApi.Status(503), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time, r => { r.MaxRetries = 3; r.Delay = TimeSpan.FromSeconds(2); r.MaxDelay = TimeSpan.FromSeconds(30); });

        var call = client.GetSummaryAsync("proj-mix-backoff");
        var wait = await time.NextWaitAsync(); // the body is fetched again at once; the 503 then waits as retry 2
        Assert.InRange(wait, TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4.8)); // Delay × 2 ± 20 %
        time.Advance(wait);
        await call;

        Assert.Equal(3, _wm.Hits(path));
        Assert.Equal(0, time.PendingWaits);
    }

    [Fact]
    public async Task A_Retry_After_after_a_body_fetched_again_is_honoured()
    {
        var path = TestApi.SummaryPath("proj-mix-429");
        _wm.Sequence(path, Truncated(), TestApi.Status(429).WithHeader("Retry-After", "3"), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var client = Client(time, r => r.MaxRetries = 2);

        var call = client.GetSummaryAsync("proj-mix-429");
        Assert.Equal(TimeSpan.FromSeconds(3), await time.NextWaitAsync());
        time.Advance(TimeSpan.FromSeconds(3));
        await call;

        Assert.Equal(3, _wm.Hits(path));
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

    // The retry handler and the handler chain, without a server.

    /// <summary>Answers every request with the same status and counts them.</summary>
    private sealed class CountingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
        }
    }

    private static (HttpMessageInvoker Invoker, CountingHandler Inner) Chain(HttpStatusCode status, int maxRetries = 3)
    {
        var inner = new CountingHandler(status);
        var retry = new UsageRetryOptions { MaxRetries = maxRetries, Delay = TimeSpan.Zero };
        var handler = new RetryHandler(retry, new RecordingTimeProvider(), NullLogger.Instance) { InnerHandler = inner };
        return (new HttpMessageInvoker(handler), inner);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Non_idempotent_methods_are_never_retried(string method)
    {
        var (invoker, inner) = Chain(HttpStatusCode.ServiceUnavailable);

        using var response = await invoker.SendAsync(new HttpRequestMessage(new HttpMethod(method), "http://127.0.0.1/x") { Content = new StringContent("{}") }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Get_and_head_are_retried_up_to_the_budget(string method)
    {
        var (invoker, inner) = Chain(HttpStatusCode.ServiceUnavailable, maxRetries: 2);

        using var response = await invoker.SendAsync(new HttpRequestMessage(new HttpMethod(method), "http://127.0.0.1/x"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public void Retry_After_in_the_past_means_no_wait_and_a_missing_header_means_back_off()
    {
        var time = new RecordingTimeProvider();
        var handler = new RetryHandler(new UsageRetryOptions { Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10) }, time, NullLogger.Instance);
        using var past = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        past.Headers.RetryAfter = new RetryConditionHeaderValue(time.GetUtcNow().AddMinutes(-1));
        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(TimeSpan.Zero, handler.ComputeDelay(past, 1, out var asked));
        Assert.Equal(TimeSpan.FromMinutes(-1), asked);
        Assert.InRange(handler.ComputeDelay(none, 3, out var notAsked), TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4.8));
        Assert.Null(notAsked);
    }

    [Fact]
    public void The_chain_is_retry_then_auth_and_leaves_retry_out_when_disabled()
    {
        var options = new UsageClientOptions { ApiKey = "dg-test-key-4f1c-chain-0002" };
        var chain = HandlerChain.Create(options, NullLogger.Instance);
        Assert.IsType<RetryHandler>(chain[0]);
        Assert.Same(chain[1], chain[0].InnerHandler);
        Assert.IsType<AuthHandler>(chain[1]);

        options.Retry.Enabled = false;
        Assert.IsType<AuthHandler>(Assert.Single(HandlerChain.Create(options, NullLogger.Instance)));
    }

    [Fact]
    public void Each_chain_gets_its_own_handlers()
    {
        var options = new UsageClientOptions { ApiKey = "dg-test-key-4f1c-chain-0003" };
        var a = HandlerChain.Create(options, NullLogger.Instance);
        var b = HandlerChain.Create(options, NullLogger.Instance);

        // Every handler of one chain, not only the outermost, is an instance of its own; each chain links its own.
        Assert.Equal([typeof(RetryHandler), typeof(AuthHandler)], a.Select(h => h.GetType()));
        Assert.Equal(a.Select(h => h.GetType()), b.Select(h => h.GetType()));
        Assert.All(a, h => Assert.DoesNotContain(b, other => ReferenceEquals(other, h)));
        Assert.Same(a[1], a[0].InnerHandler);
        Assert.Same(b[1], b[0].InnerHandler);

        options.Retry.Enabled = false; // the chain of auth alone
        Assert.NotSame(Assert.Single(HandlerChain.Create(options, NullLogger.Instance)), Assert.Single(HandlerChain.Create(options, NullLogger.Instance)));
    }

    [Fact]
    public async Task With_retries_disabled_a_client_without_DI_sends_once()
    {
        var inner = new CountingHandler(HttpStatusCode.ServiceUnavailable);
        var options = new UsageClientOptions { ApiKey = "dg-test-key-4f1c-chain-0004", Transport = inner };
        options.Retry.Enabled = false;
        var client = new UsageClient(options);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("proj-disabled"));

        Assert.Equal(503, e.Status);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task A_try_that_times_out_is_retried_and_the_next_try_answers()
    {
        var time = new RecordingTimeProvider();
        var transport = new HangOnceHandler();
        var options = new UsageClientOptions { ApiKey = "dg-test-key-4f1c-chain-0005", Transport = transport, TimeProvider = time };
        options.Retry.TryTimeout = RecordingTimeProvider.TryTimeout;
        options.Retry.Delay = TimeSpan.FromSeconds(1);
        var client = new UsageClient(options);

        var call = client.GetSummaryAsync("proj-hang");
        await time.NextTryAsync();
        time.Advance(RecordingTimeProvider.TryTimeout);
        time.Advance(await time.NextWaitAsync());
        var summary = await call;

        Assert.Equal(2, summary.Results.Count);
        Assert.Equal(2, transport.Calls);
        Assert.True(transport.FirstWasCancelled);
    }

    /// <summary>The first request never answers (until cancelled); later ones answer 200.</summary>
    private sealed class HangOnceHandler : HttpMessageHandler
    {
        public int Calls;
        public bool FirstWasCancelled;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref Calls) == 1)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    FirstWasCancelled = true;
                    throw;
                }
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(TestApi.SummaryJson, System.Text.Encoding.UTF8, "application/json") };
        }
    }
}
