using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace UsageSdk.Benchmarks;

/// <summary>
/// Paging through request logs: the hand-written client (baseline) against the SDK's <c>await foreach</c> over
/// <see cref="UsageClient.GetRequestsAsync"/> — the real thing, with its default retry handler, auth handler,
/// telemetry (activity, metrics), log-state derivation and de-duplication. Two categories, each with its own baseline:
/// <c>Serial</c> (no latency) and <c>Latency50ms</c> (4 pages in flight, plus the SDK without prefetch).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PagingBenchmarks
{
    private const int PageSize = RequestsQuery.MaxPageSize;
    private const int LatencyMs = 50;
    private const int InFlight = 4;

    private BenchServer _server = null!;
    private RawClient _raw = null!;
    private UsageClient _sdk = null!;
    private object? _last;

    /// <summary>Items per listing: 50,000 in the short job, 1,000,000 in the long one (<c>--job short|long</c>).</summary>
    [ParamsSource(nameof(ItemCounts))]
    public int Items { get; set; }

    public static IEnumerable<int> ItemCounts => [BenchSettings.Items];

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServer.StartAsync().GetAwaiter().GetResult();
        _raw = new RawClient(_server.BaseAddress);
        _sdk = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = _server.BaseAddress });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.KeepAlive(_last);
    }

    [Benchmark(Baseline = true, Description = "Raw HttpClient + STJ"), BenchmarkCategory("Serial")]
    public Task<long> Raw() => Check(_raw.ReadAllAsync(BenchServer.Project(Items, 0), PageSize, r => _last = r));

    [Benchmark(Description = "SDK await foreach"), BenchmarkCategory("Serial")]
    public Task<long> Sdk() => Check(SdkAsync(new RequestsQuery(), 0));

    [Benchmark(Baseline = true, Description = "Raw, 4 pages in flight"), BenchmarkCategory("Latency50ms")]
    public Task<long> RawPrefetch() => Check(_raw.ReadAllPrefetchAsync(BenchServer.Project(Items, LatencyMs), PageSize, InFlight, r => _last = r));

    [Benchmark(Description = "SDK WithPrefetch(4)"), BenchmarkCategory("Latency50ms")]
    public Task<long> SdkPrefetch() => Check(SdkAsync(new RequestsQuery().WithPrefetch(InFlight), LatencyMs));

    [Benchmark(Description = "SDK serial"), BenchmarkCategory("Latency50ms")]
    public Task<long> SdkSerialLatency() => Check(SdkAsync(new RequestsQuery(), LatencyMs));

    private async Task<long> SdkAsync(RequestsQuery query, int latencyMs)
    {
        long count = 0;
        await foreach (var r in _sdk.GetRequestsAsync(BenchServer.Project(Items, latencyMs), query))
        {
            _last = r;
            count++;
        }
        return count;
    }

    private async Task<long> Check(Task<long> run)
    {
        var n = await run.ConfigureAwait(false);
        if (n != Items)
        {
            throw new InvalidOperationException($"Read {n} items, expected {Items}.");
        }
        return n;
    }
}
