using Microsoft.Extensions.Time.Testing;
using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests.Paging;

/// <summary>
/// RequestsQuery.WithAccessors: one /requests listing per accessor, merged newest first, de-duplicated, with one
/// continuation token that resumes every listing (issue 22.5).
/// </summary>
public sealed class AccessorMergeTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string PinnedEnd = "end=2025-03-01T12%3A00%3A00Z";

    private void StubAccessor(string accessor, int page, int limit, params (string Id, string Created)[] items)
        => Server.Given(Request.Create().WithPath($"/v1/projects/{Project}/requests").WithParam("accessor", accessor).WithParam("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"page":{{page}},"limit":{{limit}},"requests":[{{string.Join(",", items.Select(i => ItemJson(i.Id, i.Created)))}}]}"""));

    private static string At(int minute) => $"2025-02-28T10:{minute:00}:00.000000Z";

    /// <summary>Accessor A: a1 10:05, a2 10:03, a3 10:01; accessor B: b1 10:04, b2 10:02, b3 10:00 (pages of 2).</summary>
    private void StubTwoAccessors()
    {
        StubAccessor("A", 0, 2, ("a1", At(5)), ("a2", At(3)));
        StubAccessor("A", 1, 2, ("a3", At(1)));
        StubAccessor("B", 0, 2, ("b1", At(4)), ("b2", At(2)));
        StubAccessor("B", 1, 2, ("b3", At(0)));
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

    private static string[][] Ids(IEnumerable<Page<UsageRequest>> pages) => pages.Select(p => p.Values.Select(v => v.RequestId!).ToArray()).ToArray();

    private static readonly RequestsQuery TwoAccessors = new RequestsQuery().WithAccessors("A", "B").WithPageSize(2);

    [Fact]
    public async Task Listings_are_merged_newest_first_into_pages_of_the_page_size()
    {
        StubTwoAccessors();

        var pages = await PagesAsync(NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages());

        Assert.Equal([["a1", "b1"], ["a2", "b2"], ["a3", "b3"]], Ids(pages));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.NotNull(pages[1].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
    }

    [Fact]
    public async Task Each_accessor_gets_its_own_listing_with_the_same_pinned_end()
    {
        StubTwoAccessors();

        await foreach (var _ in NewClient().GetRequestsAsync(Project, TwoAccessors))
        {
        }

        // Fetched as the merge needs them: both first pages, then each second page when its first is used up.
        Assert.Equal(
            [
                $"{PinnedEnd}&limit=2&page=0&accessor=A",
                $"{PinnedEnd}&limit=2&page=0&accessor=B",
                $"{PinnedEnd}&limit=2&page=1&accessor=A",
                $"{PinnedEnd}&limit=2&page=1&accessor=B",
            ],
            RawQueries);
    }

    [Fact]
    public async Task An_id_listed_under_two_accessors_is_yielded_once()
    {
        StubAccessor("A", 0, 3, ("x1", At(9)), ("dup", At(7)));
        StubAccessor("B", 0, 3, ("dup", At(7)), ("y1", At(6)));

        var items = new List<string>();
        await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithAccessors("A", "B").WithPageSize(3)))
        {
            items.Add(r.RequestId!);
        }

        Assert.Equal(["x1", "dup", "y1"], items);
    }

    [Fact]
    public async Task Equal_times_come_in_the_order_the_accessors_were_given()
    {
        StubAccessor("A", 0, 5, ("a", At(1)));
        StubAccessor("B", 0, 5, ("b", At(1)));

        var ab = new List<string>();
        await foreach (var r in NewClient().GetRequestsAsync(Project, new RequestsQuery().WithAccessors("B", "A").WithPageSize(5)))
        {
            ab.Add(r.RequestId!);
        }

        Assert.Equal(["b", "a"], ab);
    }

    [Fact]
    public async Task A_token_from_the_middle_resumes_exactly_the_rest_in_another_client()
    {
        StubTwoAccessors();
        var first = await PagesAsync(NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages());
        Server.ResetLogEntries();

        // Another process: a new client, a clock an hour later, the same query built again.
        var later = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 13, 0, 0, TimeSpan.Zero));
        var rest = await PagesAsync(NewClient(later).GetRequestsAsync(Project, new RequestsQuery().WithAccessors("A", "B").WithPageSize(2)).AsPages(first[0].ContinuationToken));

        Assert.Equal([["a2", "b2"], ["a3", "b3"]], Ids(rest));
        Assert.Null(rest[^1].ContinuationToken);
        // Both listings resume on the page the merge had in hand, with the end of the first run (not the new clock's).
        Assert.All(RawQueries, q => Assert.StartsWith(PinnedEnd + "&", q));
        Assert.Equal("m1.", first[0].ContinuationToken![..3]);
    }

    [Fact]
    public async Task A_token_after_a_used_up_page_starts_that_listing_at_its_next_page()
    {
        StubTwoAccessors();
        var first = await PagesAsync(NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages());
        Server.ResetLogEntries();

        var rest = await PagesAsync(NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages(first[1].ContinuationToken));

        Assert.Equal([["a3", "b3"]], Ids(rest));
        Assert.Equal([$"{PinnedEnd}&limit=2&page=1&accessor=A", $"{PinnedEnd}&limit=2&page=1&accessor=B"], RawQueries);
    }

    [Fact]
    public async Task A_failed_page_carries_a_token_that_resumes_at_the_merged_page_being_built()
    {
        StubAccessor("A", 0, 2, ("a1", At(5)), ("a2", At(3)));
        StubAccessor("A", 1, 2, ("a3", At(1)));
        StubAccessor("B", 0, 2, ("b1", At(4)), ("b2", At(2)));
        Server.Given(Request.Create().WithPath($"/v1/projects/{Project}/requests").WithParam("accessor", "B").WithParam("page", "1").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("down"));
        var seen = new List<string>();

        var e = await Assert.ThrowsAsync<UsageApiException>(async () =>
        {
            await foreach (var r in NewClient().GetRequestsAsync(Project, TwoAccessors))
            {
                seen.Add(r.RequestId!);
            }
        });

        Assert.Equal(500, e.Status);
        Assert.Equal(["a1", "b1", "a2", "b2"], seen); // [a3, b3] was being built when B's page 1 failed
        Server.Reset();
        StubTwoAccessors();
        var rest = await PagesAsync(NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages(e.ContinuationToken));
        Assert.Equal([["a3", "b3"]], Ids(rest));
    }

    [Fact]
    public async Task A_listing_that_repeats_a_full_page_stops_with_a_token_past_it_and_loses_nothing()
    {
        StubAccessor("A", 0, 2, ("a1", At(9)), ("a2", At(8)));
        StubAccessor("A", 1, 2, ("a1", At(9)), ("a2", At(8))); // the server repeats page 0
        StubAccessor("A", 2, 2, ("a3", At(1)));
        StubAccessor("B", 0, 2, ("b1", At(5)));
        var pages = new List<Page<UsageRequest>>();

        var e = await Assert.ThrowsAsync<UsageApiException>(async () =>
        {
            await foreach (var p in NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages())
            {
                pages.Add(p);
            }
        });

        Assert.Contains("not making progress", e.Message, StringComparison.Ordinal);
        Assert.Equal([["a1", "a2"]], Ids(pages));
        var rest = await PagesAsync(NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages(e.ContinuationToken));
        Assert.Equal([["b1", "a3"]], Ids(rest));
    }

    [Fact]
    public async Task A_token_of_other_accessors_or_of_a_single_listing_is_refused_before_any_call()
    {
        StubTwoAccessors();
        var pages = await PagesAsync(NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages());
        StubAccessor("A", 0, 2, ("a1", At(5)), ("a2", At(3)));
        var single = await PagesAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithAccessor("A").WithPageSize(2)).AsPages());
        Server.ResetLogEntries();

        var other = Assert.Throws<ArgumentException>(() => NewClient().GetRequestsAsync(Project, new RequestsQuery().WithAccessors("A", "C").WithPageSize(2)).AsPages(pages[0].ContinuationToken));
        var wrongKind = Assert.Throws<ArgumentException>(() => NewClient().GetRequestsAsync(Project, TwoAccessors).AsPages(single[0].ContinuationToken));
        var backwards = Assert.Throws<ArgumentException>(() => NewClient().GetRequestsAsync(Project, new RequestsQuery().WithAccessor("A").WithPageSize(2)).AsPages(pages[0].ContinuationToken));

        Assert.Contains("different query", other.Message, StringComparison.Ordinal);
        Assert.Contains("several accessors", wrongKind.Message, StringComparison.Ordinal);
        Assert.Equal("continuationToken", backwards.ParamName);
        Assert.Empty(Sent);
    }

    [Fact]
    public async Task One_accessor_given_to_WithAccessors_is_a_plain_listing()
    {
        StubAccessor("A", 0, 2, ("a1", At(5)));

        var pages = await PagesAsync(NewClient().GetRequestsAsync(Project, new RequestsQuery().WithAccessors("A").WithPageSize(2)).AsPages());

        Assert.Equal([["a1"]], Ids(pages));
        Assert.Equal($"{PinnedEnd}&limit=2&page=0&accessor=A", Assert.Single(RawQueries));
    }

    [Fact]
    public void WithAccessors_adds_without_duplicates_and_WithAccessor_replaces()
    {
        var q = new RequestsQuery().WithAccessors("A", "B").WithAccessors("B", "C");

        Assert.Equal(["A", "B", "C"], q.Accessors);
        Assert.Null(q.Accessor); // several: no single accessor
        var one = q.WithAccessor("Z");
        Assert.Equal(["Z"], one.Accessors);
        Assert.Equal("Z", one.Accessor);
        Assert.Equal(["A", "B", "C"], q.Accessors); // the original is unchanged
        Assert.Throws<ArgumentException>(() => q.WithAccessors("ok", " "));
    }

    [Fact]
    public async Task Merged_listings_yield_all_items_of_the_fake_for_its_accessors_newest_first()
    {
        var api = new UsageSdk.Testing.FakeUsageApi(new UsageSdk.Testing.FakeUsageApiOptions { Seed = 7, Days = 5, TimeProvider = NewClock() });
        var project = api.Projects[0];
        var accessors = project.ApiKeys.Take(3).Select(k => k.Accessor).ToArray();
        var expected = api.GetRequests(project.ProjectId).Where(r => accessors.Contains(r.Accessor)).Select(r => r.RequestId).ToList();

        var got = new List<UsageRequest>();
        await foreach (var r in api.CreateClient().GetRequestsAsync(project.ProjectId, new RequestsQuery().WithAccessors(accessors).WithPageSize(37)))
        {
            got.Add(r);
        }

        Assert.True(expected.Count > 100);
        Assert.Equal(expected.Order(StringComparer.Ordinal), got.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(got.Count, got.Select(r => r.RequestId).Distinct().Count());
        Assert.True(got.Zip(got.Skip(1)).All(p => p.First.Created >= p.Second.Created), "newest first");
    }
}
