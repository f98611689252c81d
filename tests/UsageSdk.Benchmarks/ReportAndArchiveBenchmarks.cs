using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using UsageSdk.Archive;
using UsageSdk.Reports;

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
        _requests = LoadAsync(Distinct).GetAwaiter().GetResult();
    }

    /// <summary>Reads <paramref name="count"/> logs through the SDK from a loopback server.</summary>
    internal static async Task<UsageRequest[]> LoadAsync(int count)
    {
        await using var server = await BenchServer.StartAsync().ConfigureAwait(false);
        var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = server.BaseAddress });
        var list = new List<UsageRequest>(count);
        await foreach (var r in client.GetRequestsAsync(BenchServer.Project(count, 0)).ConfigureAwait(false))
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

    internal static async IAsyncEnumerable<UsageRequest> InMemory(UsageRequest[] items, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            yield return items[i % items.Length];
        }
    }
}

/// <summary>
/// One small report, as a dashboard builds many: <c>ToReportAsync</c> over the first <c>Items</c> of 10,000 logs read
/// through the SDK, reports built one after another in one process. <c>Items = 1</c> is what a report costs before its
/// requests; the difference to 10,000 is what each request costs while the report code is young (not yet re-compiled
/// by tiering, as in a process that builds a few reports).
/// </summary>
[MemoryDiagnoser]
public class ReportFixedCostBenchmarks
{
    private const int Distinct = 10_000;
    private UsageRequest[] _requests = [];

    [Params(1, 10_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _requests = ReportBenchmarks.LoadAsync(Distinct).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "ToReportAsync, one small report")]
    public async Task<long> ToReportAsync()
    {
        var report = await ReportBenchmarks.InMemory(_requests, Items).ToReportAsync().ConfigureAwait(false);
        return report.Totals.Requests;
    }
}

/// <summary>
/// <c>UsageArchive.SyncAsync</c> into a new SQLite file: pages are fetched from the loopback server and committed in
/// batches of <see cref="UsageArchiveOptions.RowsPerCommit"/> rows with their checkpoint (10,000 rows in the short job,
/// 100,000 in the long one; usage summary off). The baseline is the floor under it: a bare Microsoft.Data.Sqlite loop
/// inserting the same logs (their ids, times and JSON, already serialized) into a table with only an id key, a time
/// index and the JSON (same journal and batch size), with no HTTP, no parsing and no derived columns. Between them, the
/// least sync pages the same listing over HTTP and makes the floor's inserts: what any sync costs at the least.
/// </summary>
[MemoryDiagnoser]
public class ArchiveBenchmarks
{
    internal const int Distinct = 10_000;
    private BenchServer _server = null!;
    private UsageClient _client = null!;
    private string _path = "";
    private UsageArchive? _archive;
    private (string Id, DateTime Created, string Raw)[] _wire = [];
    private TimeSpan _wireSpan;

    [ParamsSource(nameof(ItemCounts))]
    public int Items { get; set; }

    public static IEnumerable<int> ItemCounts => BenchSettings.ArchiveRows is { Count: > 0 } rows ? rows : [BenchSettings.JobName == "long" ? 100_000 : 10_000];

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServer.StartAsync().GetAwaiter().GetResult();
        _client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = _server.BaseAddress });
        _wire = LoadWireAsync(_client).GetAwaiter().GetResult();
        _wireSpan = WireSpan(_server);
    }

    /// <summary>The time the <see cref="Distinct"/> logs of the floor span (its next cycle is that much older).</summary>
    internal static TimeSpan WireSpan(BenchServer server) => server.Template(RequestsQuery.MaxPageSize, RequestsQuery.MaxPageSize).Span * (Distinct / RequestsQuery.MaxPageSize);

    // Both sides read a listing on a timeline: newest first over distinct times, as a real one runs (the archive's time
    // indexes then grow at one end, as they do in production, instead of taking every page's repeated times all over).
    internal static async Task<(string, DateTime, string)[]> LoadWireAsync(UsageClient client)
    {
        var list = new List<(string, DateTime, string)>(Distinct);
        await foreach (var r in client.GetRequestsAsync(BenchServer.Project(Distinct, 0, timeline: true), new RequestsQuery().WithPageSize(RequestsQuery.MaxPageSize)).ConfigureAwait(false))
        {
            list.Add((r.RequestId!, r.Created.UtcDateTime, UsageJson.Serialize(r)));
        }
        (string, DateTime, string)[] wire = [.. list];
        CheckServerIds(wire);
        return wire;
    }

    [IterationSetup]
    public void NewDatabase()
    {
        _path = Path.Combine(Path.GetTempPath(), $"usage-bench-{Guid.NewGuid():N}.db");
        _archive = UsageArchive.Open(_path, _client, new UsageArchiveOptions { SyncUsage = false });
    }

    [Benchmark(Baseline = true, Description = "Bare SQLite insert (floor)")]
    public long Floor() => RunFloor(_path, _wire, _wireSpan, Items);

    /// <summary>
    /// The floor: <paramref name="items"/> rows of the logs' JSON (cycling over <paramref name="wire"/>, each further cycle
    /// older by <paramref name="wireSpan"/>, with the ids the server gives those positions: <see cref="ServerId"/>) into a new table with only an id key, a time index and
    /// the JSON, through Microsoft.Data.Sqlite, in transactions of the archive's batch size, with SQLite's own checkpoints.
    /// </summary>
    internal static long RunFloor(string path, (string Id, DateTime Created, string Raw)[] wire, TimeSpan wireSpan, int items)
    {
        var batch = new UsageArchiveOptions().RowsPerCommit;
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        c.Open();
        CreateFloor(c);
        for (var start = 0; start < items; start += batch)
        {
            using var tx = c.BeginTransaction();
            using var insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO requests VALUES (@p, @id, @created, @raw) ON CONFLICT (project_id, request_id) DO UPDATE SET created = excluded.created, raw = excluded.raw;";
            insert.Parameters.AddWithValue("@p", "bench");
            var id = insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("@id", ""));
            var created = insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("@created", ""));
            var raw = insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("@raw", ""));
            insert.Prepare();
            for (var i = start; i < Math.Min(items, start + batch); i++)
            {
                var w = wire[i % wire.Length];
                id.Value = i < wire.Length ? w.Id : ServerId(w.Id, i);
                created.Value = (w.Created - (wireSpan * (i / wire.Length))).ToString("O", System.Globalization.CultureInfo.InvariantCulture); // the next 10,000 are older
                raw.Value = w.Raw;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        return items;
    }

    /// <summary>The floor's table: an id key, a time index and the JSON.</summary>
    internal const string FloorTable = """
        CREATE TABLE requests (project_id TEXT NOT NULL, request_id TEXT NOT NULL, created TEXT NOT NULL, raw TEXT NOT NULL, PRIMARY KEY (project_id, request_id));
        CREATE INDEX ix_requests_created ON requests (project_id, created);
        """;

    /// <summary>Sets a new file up as the floor's (16 KB pages, WAL, synchronous NORMAL) and creates <see cref="FloorTable"/>.</summary>
    internal static void CreateFloor(Microsoft.Data.Sqlite.SqliteConnection c)
    {
        using var init = c.CreateCommand();
        init.CommandText = "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + FloorTable;
        init.ExecuteNonQuery();
    }

    /// <summary>
    /// The id the server gives the log at <paramref name="position"/> in the listing: the template's 24 random characters
    /// of that slot (<paramref name="wireId"/>, a log of the same slot), the page number (8 digits) and the slot (4
    /// digits), as <see cref="PageTemplate"/> writes them. The floor inserts the ids the sync stores, in the same order:
    /// until 2026-12-03 it made ids beyond the first 10,000 as <c>{position}-{id}</c>, which sort in the order they were
    /// inserted, so its id key grew at one end, while the sync's ids (1,000 random prefixes) go in all over the key.
    /// </summary>
    internal static string ServerId(string wireId, int position)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{wireId.AsSpan(0, 24)}{position / RequestsQuery.MaxPageSize:D8}{position % RequestsQuery.MaxPageSize:D4}");

    /// <summary>Throws unless <see cref="ServerId"/> gives the ids the server sent for the first <see cref="Distinct"/> logs.</summary>
    internal static void CheckServerIds((string Id, DateTime Created, string Raw)[] wire)
    {
        for (var i = 0; i < wire.Length; i++)
        {
            if (ServerId(wire[i].Id, i) != wire[i].Id)
            {
                throw new InvalidOperationException($"The server's id at {i} is {wire[i].Id}, not {ServerId(wire[i].Id, i)}: ServerId no longer follows PageTemplate.");
            }
        }
    }

    /// <summary>The least any sync can do (see <see cref="ArchiveCostModes.RunLeastAsync"/>): the paging, then the floor's inserts.</summary>
    [Benchmark(Description = "Least sync (paging, floor inserts)")]
    public Task<long> Least() => ArchiveCostModes.RunLeastAsync(_path, _client, _wire, Items);

    [Benchmark(Description = "Archive sync into SQLite")]
    public async Task<long> Sync()
    {
        var result = await _archive!.SyncAsync(BenchServer.Project(Items, 0, timeline: true)).ConfigureAwait(false);
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
        ArchiveCostModes.Delete(_path);
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
