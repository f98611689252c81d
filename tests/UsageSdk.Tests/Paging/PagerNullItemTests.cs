using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Paging;

/// <summary>A full page whose items include a JSON null is still a full page: the pager asks for the next one.</summary>
public sealed class PagerNullItemTests(Infrastructure.WireMockFixture wm) : CoreTestBase(wm)
{
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
