using System.Net;
using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests.Paging;

/// <summary>
/// The /requests pager: pages, stops, continuation tokens, de-duplication, the pinned end, cancellation of the call's
/// token and of a page in flight (cancelling the item enumeration: Internal/CancellationTests).
/// </summary>
public sealed class PagerTests(WireMockFixture wm) : CoreTestBase(wm)
{
    // The clock of NewClock() is 2025-03-01T12:00:00Z, so an open end is pinned there.
    private const string PinnedEnd = "end=2025-03-01T12%3A00%3A00Z";

    private static async Task<List<UsageRequest>> AllAsync(AsyncPageable<UsageRequest> pageable, CancellationToken ct = default)
    {
        var list = new List<UsageRequest>();
        await foreach (var r in pageable.WithCancellation(ct))
        {
            list.Add(r);
        }
        return list;
    }

    private static async Task<List<Page<UsageRequest>>> PagesAsync(IAsyncEnumerable<Page<UsageRequest>> pages)
    {
        var list = new List<Page<UsageRequest>>();
        await foreach (var p in pages)
        {
            list.Add(p);
        }
        return list;
    }

    [Fact]
    public async Task Three_pages_are_read_with_one_exact_query_each()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2, "c", "d"));
        StubPage(2, PageJson(2, 2, "e"));
        var q = new RequestsQuery().WithPageSize(2);

        var pages = await PagesAsync(NewClient().GetRequestsAsync(Project, q).AsPages());

        Assert.Equal([["a", "b"], ["c", "d"], ["e"]], pages.Select(p => p.Values.Select(v => v.RequestId!).ToArray()));
        Assert.Equal(
            [$"{PinnedEnd}&limit=2&page=0", $"{PinnedEnd}&limit=2&page=1", $"{PinnedEnd}&limit=2&page=2"],
            RawQueries);
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.NotNull(pages[1].ContinuationToken);
        Assert.NotEqual(pages[0].ContinuationToken, pages[1].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken); // the last page
    }

    [Fact]
    public async Task Items_of_every_page_are_yielded_in_order()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2, "c", "d"));
        StubPage(2, PageJson(2, 2, "e"));

        var items = await AllAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)));

        Assert.Equal(["a", "b", "c", "d", "e"], items.Select(i => i.RequestId));
        Assert.Equal(3, Sent.Count);
    }

    [Fact]
    public async Task A_short_first_page_is_the_only_call()
    {
        StubPage(0, PageJson(0, 3, "a", "b"));

        var pages = await PagesAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(3)).AsPages());

        Assert.Single(pages);
        Assert.Null(pages[0].ContinuationToken);
        Assert.Single(Sent);
    }

    [Fact]
    public async Task An_empty_page_ends_the_listing()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2));
        StubPage(2, PageJson(2, 2, "never"));

        var pages = await PagesAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)).AsPages());

        Assert.Equal(2, pages.Count);
        Assert.Empty(pages[1].Values);
        Assert.Null(pages[1].ContinuationToken);
        Assert.Equal(2, Sent.Count);
    }

    [Fact]
    public async Task A_page_without_a_requests_member_ends_the_listing()
    {
        StubPage(0, """{"page":0,"limit":2}""");

        var items = await AllAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)));

        Assert.Empty(items);
        Assert.Single(Sent);
    }

    [Fact]
    public async Task The_page_size_defaults_to_1000()
    {
        StubPage(0, PageJson(0, 1000, "a"));

        await AllAsync(NewClient().GetRequestsAsync(Project));

        Assert.Equal($"{PinnedEnd}&limit=1000&page=0", Assert.Single(RawQueries));
        Assert.Equal(1000, RequestsQuery.MaxPageSize);
        Assert.Null(new RequestsQuery().PageSize);
    }

    [Fact]
    public async Task AsPages_page_size_hint_overrides_the_query()
    {
        StubPage(0, PageJson(0, 3, "a", "b", "c"));
        StubPage(1, PageJson(1, 3, "d"));

        var pages = await PagesAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(50)).AsPages(pageSizeHint: 3));

        Assert.Equal([$"{PinnedEnd}&limit=3&page=0", $"{PinnedEnd}&limit=3&page=1"], RawQueries);
        Assert.Equal(2, pages.Count);
    }

    [Fact]
    public async Task Resuming_from_a_token_in_a_new_client_continues_at_exactly_the_next_page()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2, "c", "d"));
        StubPage(2, PageJson(2, 2, "e"));
        var q = new RequestsQuery().WithPageSize(2);

        string? token = null;
        await foreach (var page in NewClient().GetRequestsAsync(Project, q).AsPages())
        {
            token = page.ContinuationToken;
            break; // stop after the first page, as a process that ends would
        }
        Assert.NotNull(token);
        Server.ResetLogEntries();

        // Another "process": a new client whose clock is a day later, and a new but equal query.
        var later = NewClock();
        later.Advance(TimeSpan.FromDays(1));
        var resumed = await PagesAsync(NewClient(later).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)).AsPages(token));

        Assert.Equal([["c", "d"], ["e"]], resumed.Select(p => p.Values.Select(v => v.RequestId!).ToArray()));
        // Same window as the first run: the pinned end travels in the token.
        Assert.Equal([$"{PinnedEnd}&limit=2&page=1", $"{PinnedEnd}&limit=2&page=2"], RawQueries);
        Assert.Null(resumed[^1].ContinuationToken);
    }

    [Fact]
    public async Task A_token_is_a_plain_string_that_resumes_with_the_same_page_size_hint()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2, "c"));
        var pageable = NewClient().GetRequestsAsync(Project);

        var first = await PagesAsync(pageable.AsPages(pageSizeHint: 2));
        var token = first[0].ContinuationToken!;
        Server.ResetLogEntries();
        var again = await PagesAsync(pageable.AsPages(token, pageSizeHint: 2));

        Assert.DoesNotContain(' ', token);
        Assert.Equal(["c"], again.Single().Values.Select(v => v.RequestId));
        Assert.Equal($"{PinnedEnd}&limit=2&page=1", Assert.Single(RawQueries));
        Assert.Throws<ArgumentException>(() => pageable.AsPages(token, pageSizeHint: 3));
    }

    [Fact]
    public async Task A_token_of_another_query_is_rejected_before_any_call()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2));
        var client = NewClient();
        var pages = await PagesAsync(client.GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2).WithStatus(RequestStatus.Failed)).AsPages());
        var token = pages[0].ContinuationToken!;
        Server.ResetLogEntries();

        var other = client.GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2).WithStatus(RequestStatus.Succeeded));
        var e = Assert.Throws<ArgumentException>(() => other.AsPages(token));

        Assert.Equal("continuationToken", e.ParamName);
        Assert.Contains("different query", e.Message);
        Assert.Empty(Server.LogEntries);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("v1.1.2.3")]
    [InlineData("v1.x.0.10.00000000")]
    [InlineData("v1.1.0.0.00000000")]
    [InlineData("v1.1.0.1001.00000000")]
    [InlineData("v2.1.0.10.00000000")]
    public void A_malformed_token_is_rejected_before_any_call(string token)
    {
        var e = Assert.Throws<ArgumentException>(() => NewClient().GetRequestsAsync(Project).AsPages(token));

        Assert.Equal("continuationToken", e.ParamName);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task An_id_repeated_on_the_next_page_is_yielded_once()
    {
        // Two new requests arrived between the calls: "b" and "c" slid onto page 1.
        StubPage(0, PageJson(0, 3, "a", "b", "c"));
        StubPage(1, PageJson(1, 3, "b", "c", "d"));
        StubPage(2, PageJson(2, 3, "e"));

        var items = await AllAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(3)));

        Assert.Equal(["a", "b", "c", "d", "e"], items.Select(i => i.RequestId));
        Assert.Equal(3, Sent.Count); // a page made short by de-duplication does not end the listing
    }

    [Fact]
    public async Task An_id_repeated_within_one_page_is_yielded_once()
    {
        StubPage(0, PageJson(0, 3, "a", "a", "b"));
        StubPage(1, PageJson(1, 3, "c"));

        var items = await AllAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(3)));

        Assert.Equal(["a", "b", "c"], items.Select(i => i.RequestId));
        Assert.Equal(2, Sent.Count); // the page was full on the wire, so the next one is read
    }

    [Fact]
    public async Task Nothing_is_sent_before_the_first_MoveNextAsync_and_the_open_end_is_pinned_then()
    {
        StubPage(0, PageJson(0, 1, "a"));
        StubPage(1, PageJson(1, 1, "b"));
        StubPage(2, PageJson(2, 1));
        var clock = NewClock();
        var q = new RequestsQuery().WithPageSize(1);

        var pageable = NewClient(clock).GetRequestsAsync(Project, q);
        clock.Advance(TimeSpan.FromMinutes(30));
        await using var e = pageable.GetAsyncEnumerator();
        clock.Advance(TimeSpan.FromMinutes(30)); // 13:00:00
        Assert.Empty(Server.LogEntries);

        Assert.True(await e.MoveNextAsync());
        clock.Advance(TimeSpan.FromHours(5)); // later pages keep the first call's end
        Assert.True(await e.MoveNextAsync());
        Assert.False(await e.MoveNextAsync());

        Assert.Equal(
            ["end=2025-03-01T13%3A00%3A00Z&limit=1&page=0", "end=2025-03-01T13%3A00%3A00Z&limit=1&page=1", "end=2025-03-01T13%3A00%3A00Z&limit=1&page=2"],
            RawQueries);
        Assert.Null(q.End); // the caller's query is not changed by the pinning
    }

    [Fact]
    public async Task The_pinned_end_is_rounded_up_to_the_next_whole_second()
    {
        StubPage(0, PageJson(0, 10));
        var clock = NewClock();
        clock.Advance(TimeSpan.FromMilliseconds(250));

        await AllAsync(NewClient(clock).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(10)));

        Assert.Equal("end=2025-03-01T12%3A00%3A01Z&limit=10&page=0", Assert.Single(RawQueries));
    }

    [Fact]
    public async Task An_end_set_by_the_caller_is_sent_as_is_and_not_pinned()
    {
        StubPage(0, PageJson(0, 10));
        var end = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.FromHours(1));

        await AllAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().Until(end).WithPageSize(10)));

        Assert.Equal("end=2025-02-01T00%3A00%3A00%2B01%3A00&limit=10&page=0", Assert.Single(RawQueries));
    }

    [Fact]
    public async Task Each_enumeration_pins_its_own_end()
    {
        StubPage(0, PageJson(0, 10));
        var clock = NewClock();
        var pageable = NewClient(clock).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(10));

        await AllAsync(pageable);
        clock.Advance(TimeSpan.FromHours(1));
        await AllAsync(pageable);

        Assert.Equal(["end=2025-03-01T12%3A00%3A00Z&limit=10&page=0", "end=2025-03-01T13%3A00%3A00Z&limit=10&page=0"], RawQueries);
    }

    [Fact]
    public async Task Cancelling_the_token_of_the_call_stops_the_listing()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2, "c", "d"));
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2), cts.Token))
            {
                seen.Add(r.RequestId!);
                cts.Cancel();
            }
        });

        Assert.Equal(["a"], seen);
        Assert.Single(Sent);
    }

    /// <summary>Answers page 0 at once and holds page 1 until the call is cancelled (no server, no timing).</summary>
    private sealed class HoldSecondPageHandler : HttpMessageHandler
    {
        public TaskCompletionSource SecondPageStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Query.Contains("page=0", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(PageJson(0, 2, "a", "b"), System.Text.Encoding.UTF8, "application/json") };
            }
            SecondPageStarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task Cancelling_while_a_page_is_in_flight_throws_OperationCanceledException()
    {
        var handler = new HoldSecondPageHandler();
        var client = new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = Wm.BaseAddress, Transport = handler, TimeProvider = NewClock() });
        using var cts = new CancellationTokenSource();
        await using var e = client.GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)).GetAsyncEnumerator(cts.Token);
        Assert.True(await e.MoveNextAsync());
        Assert.True(await e.MoveNextAsync());

        var next = e.MoveNextAsync().AsTask();
        await handler.SecondPageStarted.Task;
        cts.Cancel();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);

        Assert.IsNotType<UsageApiException>(ex);
        Assert.True(ex.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_failing_page_throws_with_a_token_that_resumes_at_that_page()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        Server.Given(Request.Create().WithPath("/v1/projects/proj-1/requests").WithParam("page", "1").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("temporary"));
        var seen = new List<string>();

        var e = await Assert.ThrowsAsync<UsageApiException>(async () =>
        {
            await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)))
            {
                seen.Add(r.RequestId!);
            }
        });
        Assert.Equal(["a", "b"], seen);
        Assert.Equal(500, e.Status);
        Assert.NotNull(e.ContinuationToken);

        // The server recovers; another process resumes from the exception's token.
        Server.Reset();
        StubPage(1, PageJson(1, 2, "c", "d"));
        StubPage(2, PageJson(2, 2));
        var later = NewClock();
        later.Advance(TimeSpan.FromHours(2));
        var rest = new List<string>();
        await foreach (var page in NewClient(later).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)).AsPages(e.ContinuationToken))
        {
            rest.AddRange(page.Values.Select(v => v.RequestId!));
        }

        Assert.Equal(["c", "d"], rest);
        Assert.Equal([$"{PinnedEnd}&limit=2&page=1", $"{PinnedEnd}&limit=2&page=2"], RawQueries);
    }

    [Fact]
    public async Task The_callers_query_is_not_changed_by_listing()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2));
        var q = new RequestsQuery().From(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero)).WithPageSize(2).WithAccessor("acc-1");
        var before = q.ToString();

        await AllAsync(NewClient().GetRequestsAsync(Project, q));
        await PagesAsync(NewClient().GetRequestsAsync(Project, q).AsPages(pageSizeHint: 5));

        Assert.Equal(before, q.ToString());
        Assert.Null(q.End);
        Assert.Equal(2, q.PageSize);
    }

    [Fact]
    public async Task Every_item_gets_its_state_at_read_time()
    {
        var clock = NewClock();
        StubPage(0, """{"page":0,"limit":10,"requests":[{"request_id":"fresh","created":"2025-03-01T11:59:00Z","response":null},{"request_id":"old","created":"2025-02-01T11:59:00Z","response":{}}]}""");

        var items = await AllAsync(NewClient(clock).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(10)));

        Assert.Equal([RequestLogState.Pending, RequestLogState.Lost], items.Select(i => i.State));
    }

    [Fact]
    public async Task Null_items_in_a_page_are_dropped()
    {
        StubPage(0, $$"""{"page":0,"limit":10,"requests":[null,{{ItemJson("a")}},null]}""");

        var items = await AllAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(10)));

        Assert.Equal(["a"], items.Select(i => i.RequestId));
    }

    /// <summary>A full page whose items include a JSON null is still a full page: the pager asks for the next one.</summary>
    [Fact]
    public async Task A_full_page_with_a_null_item_is_not_taken_for_the_last_page()
    {
        StubPage(0, """{"page":0,"limit":2,"requests":[{"request_id":"a","created":"2025-02-01T00:00:00Z"},null]}""");
        StubPage(1, PageJson(1, 2, "b"));

        var ids = new List<string>();
        await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)))
        {
            ids.Add(r.RequestId!);
        }

        Assert.Equal(["a", "b"], ids);
        Assert.Equal(2, RawQueries.Count);
    }
}
