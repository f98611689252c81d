using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using UsageSdk.Archive;

namespace UsageSdk.Benchmarks;

/// <summary>
/// <c>ToReportAsync</c> over request logs already in memory: 1,000,000 requests per operation, cycling over 50,000
/// distinct logs read once through the SDK in the setup (holding a million parsed logs would measure the GC, not the report).
/// </summary>
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private const int Distinct = 50_000;
    private UsageRequest[] _requests = [];

    [ParamsSource(nameof(ItemCounts))]
    public int Items { get; set; }

    public static IEnumerable<int> ItemCounts => [1_000_000];

    [GlobalSetup]
    public void Setup()
    {
        _requests = LoadAsync().GetAwaiter().GetResult();
    }

    private static async Task<UsageRequest[]> LoadAsync()
    {
        await using var server = await BenchServer.StartAsync().ConfigureAwait(false);
        var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = server.BaseAddress });
        var list = new List<UsageRequest>(Distinct);
        await foreach (var r in client.GetRequestsAsync(BenchServer.Project(Distinct, 0)).ConfigureAwait(false))
        {
            list.Add(r);
        }
        return [.. list];
    }

    [Benchmark(Description = "ToReportAsync, in memory")]
    public async Task<long> ToReportAsync()
    {
        var report = await InMemory(_requests, Items).ToReportAsync().ConfigureAwait(false);
        return report.Totals.Requests;
    }

    private static async IAsyncEnumerable<UsageRequest> InMemory(UsageRequest[] items, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            yield return items[i % items.Length];
        }
    }
}

/// <summary>
/// <c>UsageArchive.SyncAsync</c> into a new SQLite file: every page is fetched from the loopback server, then inserted
/// in one transaction with its checkpoint (10,000 rows in the short job, 100,000 in the long one; usage summary off).
/// </summary>
[MemoryDiagnoser]
public class ArchiveBenchmarks
{
    private BenchServer _server = null!;
    private UsageClient _client = null!;
    private string _path = "";
    private UsageArchive? _archive;

    [ParamsSource(nameof(ItemCounts))]
    public int Items { get; set; }

    public static IEnumerable<int> ItemCounts => [BenchSettings.JobName == "long" ? 100_000 : 10_000];

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServer.StartAsync().GetAwaiter().GetResult();
        _client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = _server.BaseAddress });
    }

    [IterationSetup]
    public void NewDatabase()
    {
        _path = Path.Combine(Path.GetTempPath(), $"usage-bench-{Guid.NewGuid():N}.db");
        _archive = UsageArchive.Open(_path, _client, new UsageArchiveOptions { SyncUsage = false });
    }

    [Benchmark(Description = "Archive sync into SQLite")]
    public async Task<long> Sync()
    {
        var result = await _archive!.SyncAsync(BenchServer.Project(Items, 0)).ConfigureAwait(false);
        if (result.Items != Items)
        {
            throw new InvalidOperationException($"Synced {result.Items} rows, expected {Items}.");
        }
        return result.Items;
    }

    [IterationCleanup]
    public void DeleteDatabase()
    {
        _archive?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal", ".sync-lock" })
        {
            File.Delete(_path + suffix);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
