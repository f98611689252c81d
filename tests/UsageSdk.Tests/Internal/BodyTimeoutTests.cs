using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Internal;

/// <summary>
/// The limits hold while the body is read (issue 17): a loopback server sends the headers at once, then the body a byte
/// every 50 ms, so no read is ever idle for a TryTimeout and no body is ever done within one. TryTimeout bounds each try
/// headers and body together; Timeout bounds the whole call; a body timeout is transient, then status 0.
/// </summary>
public sealed class BodyTimeoutTests
{
    private const string Key = "dg-test-key-4f1c-body-timeout-0001";
    private const string Project = "proj-trickle";
    private const string Page = """{"page":0,"limit":1000,"requests":[{"request_id":"a"}]}""";
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50);
    /// <summary>Long enough that headers on loopback arrive within it even on a loaded machine (a header timeout is another
    /// test's case), far shorter than a trickled body. At 1 s, a CI run with the contract tests building packages beside
    /// these once waited longer than that for the second try's headers, and the call failed on them instead.</summary>
    private static readonly TimeSpan TryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Leading white space keeps the JSON valid and makes a trickled body last far longer than any test.</summary>
    private static readonly string Padding = new(' ', 2000);

    private static UsageClient Client(LoopbackServer server, Action<UsageClientOptions>? configure = null)
    {
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = server.BaseAddress };
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.Zero;
        options.Retry.TryTimeout = TryTimeout;
        configure?.Invoke(options);
        return new UsageClient(options);
    }

    /// <summary>A call that hangs fails the test after 30 s instead of hanging it; a call that keeps its limits ends far sooner.</summary>
    private static Task<T> Guarded<T>(Task<T> call) => call.WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_body_that_trickles_past_TryTimeout_is_retried_then_fails_with_status_0()
    {
        await using var server = new LoopbackServer((_, s, ct) => LoopbackServer.TrickleAsync(s, 200, Padding + TestApi.SummaryJson, Every, ct));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Guarded(Client(server).GetSummaryAsync(Project)));

        Assert.Equal(0, e.Status);
        Assert.Equal(2, e.Attempts);
        Assert.Equal(2, server.Requests.Count);
        Assert.IsType<TimeoutException>(e.InnerException, exactMatch: false);
        Assert.Contains("timed out (The response body did not arrive within the TryTimeout of 2 s.)", e.Message, StringComparison.Ordinal);
        Assert.Null(e.ContinuationToken);
    }

    [Fact]
    public async Task A_body_that_trickles_is_fetched_again_and_the_next_try_answers()
    {
        await using var server = new LoopbackServer((r, s, ct) => r.Number == 1
            ? LoopbackServer.TrickleAsync(s, 200, Padding + TestApi.SummaryJson, Every, ct)
            : LoopbackServer.AnswerAsync(s, 200, TestApi.SummaryJson, ct));

        var summary = await Guarded(Client(server).GetSummaryAsync(Project));

        Assert.Equal([3, 1], summary.Results.Select(r => r.Requests));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task With_the_retry_handler_replaced_the_overall_Timeout_still_bounds_the_body()
    {
        await using var server = new LoopbackServer((_, s, ct) => LoopbackServer.TrickleAsync(s, 200, Padding + """{"tags":["a"]}""", Every, ct));
        var client = Client(server, o => { o.Retry.Enabled = false; o.Timeout = TimeSpan.FromMilliseconds(400); });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Guarded(client.GetFieldsAsync(Project)));

        Assert.Equal(0, e.Status);
        Assert.Equal(1, e.Attempts);
        Assert.Single(server.Requests);
        Assert.Contains("timed out (The call did not complete within the Timeout of 0.4 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_body_that_trickles_is_cut_at_TryTimeout_and_the_status_is_the_answer()
    {
        await using var server = new LoopbackServer((_, s, ct) => LoopbackServer.TrickleAsync(s, 503, Padding + """{"err_code":"BUSY","err_msg":"busy"}""", Every, ct));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Guarded(Client(server).GetBreakdownAsync(Project)));

        Assert.Equal(503, e.Status);
        Assert.Equal(2, e.Attempts); // the first 503 is retried without reading its body; the second one's body is cut off
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("", e.ResponseContent);
        Assert.Null(e.ErrorCode);
    }

    [Fact]
    public async Task A_body_that_breaks_off_on_every_try_counts_each_try_once()
    {
        // Headers announce the whole body; half of it is sent, then the connection closes.
        await using var server = new LoopbackServer(async (_, s, ct) =>
        {
            var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {TestApi.SummaryJson.Length}\r\nConnection: close\r\n\r\n";
            await s.WriteAsync(System.Text.Encoding.UTF8.GetBytes(head + TestApi.SummaryJson[..(TestApi.SummaryJson.Length / 2)]), ct);
        });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Guarded(Client(server).GetSummaryAsync(Project)));

        Assert.Equal(200, e.Status);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(2, e.Attempts);
    }

    [Fact]
    public async Task A_503_then_a_body_that_stalls_then_a_503_is_three_tries_in_all_with_two_retries()
    {
        // One budget for the call: the 503s are the retry handler's retries, the stalled body the client's, MaxRetries + 1 tries in all.
        await using var server = new LoopbackServer((r, s, ct) => r.Number switch
        {
            2 => LoopbackServer.TrickleAsync(s, 200, Padding + TestApi.SummaryJson, Every, ct),
            4 => LoopbackServer.AnswerAsync(s, 200, TestApi.SummaryJson, ct),
            _ => LoopbackServer.AnswerAsync(s, 503, """{"err_code":"BUSY","err_msg":"busy"}""", ct),
        });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Guarded(Client(server, o => o.Retry.MaxRetries = 2).GetSummaryAsync(Project)));

        Assert.Equal(503, e.Status);
        Assert.Equal("BUSY", e.ErrorCode);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_body_that_stalls_then_a_503_then_a_200_succeeds_in_three_tries()
    {
        await using var server = new LoopbackServer((r, s, ct) => r.Number switch
        {
            1 => LoopbackServer.TrickleAsync(s, 200, Padding + TestApi.SummaryJson, Every, ct),
            2 => LoopbackServer.AnswerAsync(s, 503, "", ct),
            _ => LoopbackServer.AnswerAsync(s, 200, TestApi.SummaryJson, ct),
        });

        var summary = await Guarded(Client(server, o => o.Retry.MaxRetries = 2).GetSummaryAsync(Project));

        Assert.Equal([3, 1], summary.Results.Select(r => r.Requests));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_listing_page_whose_body_trickles_fails_with_its_continuation_token_and_resumes_there()
    {
        await using var server = new LoopbackServer((r, s, ct) => r.Number <= 2
            ? LoopbackServer.TrickleAsync(s, 200, Padding + Page, Every, ct)
            : LoopbackServer.AnswerAsync(s, 200, Page, ct));
        var listing = Client(server).GetRequestsAsync(Project);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Guarded(FirstPageAsync(listing.AsPages())));

        Assert.Equal(0, e.Status);
        Assert.Equal(2, e.Attempts);
        Assert.NotNull(e.ContinuationToken);
        Assert.Contains("TryTimeout", e.Message, StringComparison.Ordinal);

        var page = await Guarded(FirstPageAsync(listing.AsPages(e.ContinuationToken)));

        Assert.Equal(["a"], page.Values.Select(v => v.RequestId));
        Assert.Null(page.ContinuationToken); // a short page is the last
        var requests = server.Requests;
        Assert.Equal(3, requests.Count);
        // The resumed call asks for the same page and the same pinned end as the one that timed out.
        Assert.Equal(Query(requests[0].Target), Query(requests[2].Target));
        Assert.Matches(@"(^|&)page=0(&|$)", Query(requests[2].Target));
        Assert.Matches(@"(^|&)end=[^&]+", Query(requests[2].Target));
    }

    private static async Task<Page<UsageRequest>> FirstPageAsync(IAsyncEnumerable<Page<UsageRequest>> pages)
    {
        await foreach (var page in pages)
        {
            return page;
        }
        throw new InvalidOperationException("No page.");
    }

    private static string Query(string target) => target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..];
}
