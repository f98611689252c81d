using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using UsageSdk.Internal;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Internal;

/// <summary>The retry handler and the handler chain, without a server.</summary>
public sealed class RetryHandlerTests
{
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
        Assert.NotSame(a[0], b[0]);
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
