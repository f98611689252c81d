using System.Globalization;
using System.Net;
using System.Web;
using UsageSdk.Internal;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Paging;

/// <summary>
/// Servers that do not make progress: one that ignores <c>page=</c>, one whose pages alternate, one that repeats an
/// older page. Each id is yielded once, and a full page without a new id ends the listing with a token.
/// </summary>
public sealed class PagerProgressTests(WireMockFixture wm) : CoreTestBase(wm)
{
    /// <summary>Past this many calls the fake answers 500, so a pager that never stops fails instead of hanging the test.</summary>
    private const int CallCap = 40;

    /// <summary>A transport answering each page with <paramref name="page"/>(n), and 500 after <see cref="CallCap"/> calls.</summary>
    private static RecordingHandler Fake(Func<int, string> page)
    {
        var handler = new RecordingHandler();
        handler.Respond = (request, _) =>
        {
            if (handler.Count > CallCap)
            {
                return Task.FromResult(RecordingHandler.Json("""{"err_msg":"call cap"}""", HttpStatusCode.InternalServerError));
            }
            var n = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"]!, CultureInfo.InvariantCulture);
            return Task.FromResult(RecordingHandler.Json(page(n)));
        };
        return handler;
    }

    private static UsageClient Client(RecordingHandler handler)
        => new(new UsageClientOptions { ApiKey = Key, BaseAddress = new Uri("https://usage.example.invalid"), Transport = handler, TimeProvider = NewClock(), Retry = new UsageRetryOptions { MaxRetries = 0 } });

    private static int PageOf(HttpRequestMessage m) => int.Parse(HttpUtility.ParseQueryString(m.RequestUri!.Query)["page"]!, CultureInfo.InvariantCulture);

    private static async Task<(List<string> Seen, UsageApiException Error)> ListUntilErrorAsync(AsyncPageable<UsageRequest> pageable)
    {
        var seen = new List<string>();
        var e = await Assert.ThrowsAsync<UsageApiException>(async () =>
        {
            await foreach (var r in pageable)
            {
                seen.Add(r.RequestId!);
            }
        });
        return (seen, e);
    }

    [Fact]
    public async Task A_server_that_ignores_page_ends_the_listing_on_the_second_call_with_a_token()
    {
        var handler = Fake(_ => PageJson(0, 2, "a", "b"));

        var (seen, e) = await ListUntilErrorAsync(Client(handler).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)));

        Assert.Equal(["a", "b"], seen);
        Assert.Equal([0, 1], handler.Requests.Select(PageOf));
        Assert.Equal(200, e.Status);
        Assert.Contains("not making progress", e.Message);
        Assert.Contains("page 1", e.Message);
        // The token resumes after the page that brought nothing new.
        Assert.Equal(2, PageToken.Parse(e.ContinuationToken!, new RequestsQuery().WithPageSize(2).Fingerprint()).Page);
    }

    [Fact]
    public async Task With_pages_in_flight_a_server_that_ignores_page_is_still_stopped_after_a_few_calls()
    {
        var handler = Fake(_ => PageJson(0, 2, "a", "b"));

        var (seen, e) = await ListUntilErrorAsync(Client(handler).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2).WithPrefetch(4)));

        Assert.Equal(["a", "b"], seen);
        Assert.Contains("not making progress", e.Message);
        Assert.InRange(handler.Count, 2, 6); // page 1 ends it; at most 4 more were in flight, then cancelled
    }

    [Fact]
    public async Task Alternating_pages_yield_each_id_once_and_end_the_listing()
    {
        var handler = Fake(n => n % 2 == 0 ? PageJson(n, 2, "a1", "a2") : PageJson(n, 2, "b1", "b2"));
        var q = new RequestsQuery().WithPageSize(2);

        var (seen, e) = await ListUntilErrorAsync(Client(handler).GetRequestsAsync(Project, q));

        Assert.Equal(["a1", "a2", "b1", "b2"], seen);
        Assert.Equal([0, 1, 2], handler.Requests.Select(PageOf));
        Assert.NotNull(e.ContinuationToken);

        // A resumed listing starts with no ids remembered (documented): it reads on from page 3 in a new client.
        var resumed = Fake(n => n % 2 == 0 ? PageJson(n, 2, "a1", "a2") : PageJson(n, 2, "b1", "b2"));
        var pages = new List<string[]>();
        var again = await Assert.ThrowsAsync<UsageApiException>(async () =>
        {
            await foreach (var page in Client(resumed).GetRequestsAsync(Project, q).AsPages(e.ContinuationToken))
            {
                pages.Add(page.Values.Select(v => v.RequestId!).ToArray());
            }
        });
        Assert.Equal([3, 4, 5], resumed.Requests.Select(PageOf));
        Assert.Equal([["b1", "b2"], ["a1", "a2"]], pages);
        Assert.Contains("not making progress", again.Message);
    }

    [Fact]
    public async Task An_id_repeated_pages_later_is_yielded_once_and_the_listing_goes_on()
    {
        StubPage(0, PageJson(0, 2, "a", "b"));
        StubPage(1, PageJson(1, 2, "c", "d"));
        StubPage(2, PageJson(2, 2, "a", "e")); // "a" again, two pages later
        StubPage(3, PageJson(3, 2, "f"));

        var seen = new List<string>();
        await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)))
        {
            seen.Add(r.RequestId!);
        }

        Assert.Equal(["a", "b", "c", "d", "e", "f"], seen);
        Assert.Equal(4, Sent.Count);
    }

    [Fact]
    public async Task A_full_page_of_null_items_makes_no_progress()
    {
        var handler = Fake(n => n == 0 ? PageJson(0, 2, "a", "b") : """{"page":1,"limit":2,"requests":[null,null]}""");

        var (seen, e) = await ListUntilErrorAsync(Client(handler).GetRequestsAsync(Project, new RequestsQuery().WithPageSize(2)));

        Assert.Equal(["a", "b"], seen);
        Assert.Equal(2, handler.Count);
        Assert.Contains("not making progress", e.Message);
    }

    [Fact]
    public void The_id_set_holds_8_bytes_a_slot_and_about_17_bytes_an_id_at_a_million()
    {
        var random = new Random(17);
        var ids = Enumerable.Range(0, 1_000_001).Select(_ => new Guid(random.NextBytes16()).ToString()).ToArray(); // UUIDs, as the API's ids
        var set = new SeenIds(1000);
        Assert.Equal(2048 * 8, set.Bytes); // sized for one page of 1000 ids

        var before = GC.GetAllocatedBytesForCurrentThread();
        var added = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            added += set.Add(ids[i]) ? 1 : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1_000_000, added);
        Assert.Equal(1_000_000, set.Count);
        Assert.Equal(1L << 24, set.Bytes);             // 2^21 slots of 8 bytes: 16.8 bytes per id retained
        // Nothing but the tables it grew through (4,096 to 2^21 slots, 24 bytes of array header each): 33.5 bytes per id in
        // all. The set's own code is deterministic (XXH3), but the runtime may allocate a few KB on the same thread while the
        // loop runs (a CI run once counted 6,584 bytes more), so the count may exceed the tables by at most 16 KB (0.05 %).
        var tables = (8L << 22) - (8L << 12) + 10 * 24;
        Assert.InRange(allocated, tables, tables + 16_384);
        Assert.False(set.Add(ids[0]));                 // still remembered after the table grew
        Assert.False(set.Add(ids[999_999]));
        Assert.True(set.Add(ids[1_000_000]));
    }
}

internal static class RandomBytes
{
    public static byte[] NextBytes16(this Random random)
    {
        var b = new byte[16];
        random.NextBytes(b);
        return b;
    }
}
