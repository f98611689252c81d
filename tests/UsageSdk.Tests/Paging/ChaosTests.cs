using UsageSdk.Tests.Infrastructure.Chaos;
using Xunit.Abstractions;

namespace UsageSdk.Tests.Paging;

/// <summary>
/// The chaos run at test size (the 10,000-page run is <c>tests/UsageSdk.ChaosRunner</c>): pages from FakeUsageApi with
/// 10 % 5xx, 5 % 429 with Retry-After, 2 % connections reset mid-body and 1 % truncated JSON. The listing either
/// completes or fails with a continuation token from which a new client resumes; the end result is exactly the
/// fault-free listing. Deterministic: the faults are a hash of the seed and the URL, and no wait sleeps.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(10, 600, 5, 3, 1)] // default retries: the client absorbs almost everything
    [InlineData(11, 300, 5, 1, 1)] // one retry: pages fail and are resumed from the exception's token
    [InlineData(12, 200, 5, 0, 1)] // no retry: every fault fails a page
    [InlineData(13, 200, 5, 2, 4)] // four pages in flight
    public async Task Chaos_run_ends_with_exactly_the_fault_free_items(int seed, int pages, int pageSize, int maxRetries, int prefetch)
    {
        var report = await ChaosRun.RunAsync(new ChaosSettings { Seed = seed, Pages = pages, PageSize = pageSize, MaxRetries = maxRetries, Prefetch = prefetch });
        output.WriteLine(report.ToString());

        Assert.Empty(report.Problems);
        Assert.Equal(pages * pageSize - 1, report.ExpectedItems);
        Assert.Equal(pages, report.ExpectedPages);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.Unexpected);
        Assert.True(report.SameOrder, "the items came in another order than the fault-free listing");
        Assert.Equal(report.ExpectedUsd, report.Usd);
        Assert.True(report.Exact);

        // Faults were really injected, at roughly their rate (and in the larger run, every kind of them).
        Assert.True(report.ServerErrors > 0 && report.RateLimited > 0 && report.ConnectionResets + report.TruncatedBodies > 0, report.ToString());
        if (pages >= 600)
        {
            Assert.True(report.ConnectionResets > 0 && report.TruncatedBodies > 0, report.ToString());
        }
        var rate = (double)report.Faults / report.Requests;
        Assert.InRange(rate, 0.12, 0.24);
        if (maxRetries == 0)
        {
            Assert.Equal(report.Faults, report.Resumes); // nothing is retried: each fault fails its page
            Assert.Equal(0, report.Retries);
        }
        if (maxRetries <= 1)
        {
            Assert.True(report.Resumes > 0, "no page failed: the resume path was not exercised");
        }
        if (maxRetries > 0)
        {
            Assert.True(report.Retries > 0);
        }
        if (prefetch == 1)
        {
            // One clean answer per page read: every other request was a fault.
            Assert.Equal(report.PagesRead, report.Requests - report.Faults);
        }
    }

    [Fact]
    public async Task Chaos_run_is_deterministic()
    {
        var settings = new ChaosSettings { Seed = 21, Pages = 60, PageSize = 4, MaxRetries = 1 };
        var a = await ChaosRun.RunAsync(settings);
        var b = await ChaosRun.RunAsync(settings);
        Assert.Equal(a.ToString(), b.ToString());
    }

    [Fact]
    public async Task Without_faults_the_chaos_harness_changes_nothing()
    {
        var report = await ChaosRun.RunAsync(new ChaosSettings { Seed = 5, Pages = 40, PageSize = 5, Rates = new ChaosRates(0, 0, 0, 0) });
        Assert.True(report.Exact, report.ToString());
        Assert.Equal(0, report.Faults);
        Assert.Equal(0, report.Resumes);
        Assert.Equal(40, report.Requests);
    }

    [Fact]
    public void Fault_mix_follows_the_rates()
    {
        using var handler = new ChaosHandler(new HttpClientHandler(), seed: 3, new ChaosRates());
        var counts = new Dictionary<ChaosFault, int>();
        const int n = 200_000;
        for (var i = 0; i < n; i++)
        {
            var (fault, _) = handler.Decide("/v1/projects/p/requests?page=" + (i % 1000), i / 1000);
            counts[fault] = counts.GetValueOrDefault(fault) + 1;
        }
        Assert.InRange(counts[ChaosFault.ServerError] / (double)n, 0.095, 0.105);
        Assert.InRange(counts[ChaosFault.RateLimited] / (double)n, 0.046, 0.054);
        Assert.InRange(counts[ChaosFault.ConnectionReset] / (double)n, 0.017, 0.023);
        Assert.InRange(counts[ChaosFault.TruncatedJson] / (double)n, 0.008, 0.012);
    }
}
