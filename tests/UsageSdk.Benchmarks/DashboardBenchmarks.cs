using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using UsageSdk.Archive;
using UsageSdk.Dashboard;
using UsageSdk.Testing;

namespace UsageSdk.Benchmarks;

/// <summary>
/// The dashboard over a big SQLite archive: <c>Rows</c> request logs of one project over 90 days (1,000,000 in the long
/// job, 100,000 in the short one), the seeded <see cref="FakeUsageApi"/>'s data (four keys, speech, text-to-speech,
/// text intelligence and agent models, tag sets, sync/async/streaming, hosted/beta/self-hosted, failed, pending and lost
/// requests). Each operation is one GET through the app's whole pipeline: an in-process <see cref="TestServer"/>, the
/// endpoints of <c>MapUsageDashboard</c>, the <see cref="UsageArchiveDashboardSource"/> (which reads the roll-ups and
/// the few request logs they leave out), the report, and the HTML and SVG or CSV, read to the last byte. The
/// archive is built once (through <see cref="IUsageArchiveStore.CommitPageAsync"/>, as a sync commits: the roll-ups
/// are written in each commit's transaction) and kept under the temp folder, keyed by its row count, for later runs.
/// The process's CPU time of each measured operation is printed too (all threads, as <see cref="Process.TotalProcessorTime"/>
/// counts it): on a shared machine it moves less with the load than the elapsed time does.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MaxColumn]
[MedianColumn]
[WarmupCount(40)]
[IterationCount(Iterations)]
public class DashboardBenchmarks
{
    /// <summary>The clock of the data and of the dashboard: Wednesday 18 March 2026, 14:30 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 18, 14, 30, 0, TimeSpan.Zero);

    private const int Days = 90;
    private const int Seed = 2025;
    private const string Version = "v1"; // of the data below: a change makes a new cached file
    private const int Iterations = 30;

    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private UsageArchive _archive = null!;
    private string _days90 = "";
    private string _days7 = "";
    private string _filtered = "";
    private string _csv = "";
    private readonly List<double> _cpuMs = [];
    private TimeSpan _cpuStart;

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    public static IEnumerable<int> RowCounts => [BenchSettings.JobName == "long" ? 1_000_000 : 100_000];

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var clock = new FixedClock(Now);
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = Seed, Days = Days, RequestsPerDay = 0, TimeProvider = clock }); // the projects and keys only
        var project = api.Projects[0];
        var path = await ArchiveAsync(Rows).ConfigureAwait(false);
        _archive = new UsageArchive(UsageArchive.OpenStore(path), options: new UsageArchiveOptions { TimeProvider = clock }, ownsStore: true);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        _app = builder.Build();
        _app.MapUsageDashboard("/usage", o =>
        {
            o.Source = new UsageArchiveDashboardSource(_archive, [new UsageDashboardProject(project.ProjectId, project.Name)]);
            o.TimeProvider = clock;
            foreach (var key in project.ApiKeys)
            {
                o.Report.Names.Keys[key.ApiKeyId] = key.Name;
            }
        });
        await _app.StartAsync().ConfigureAwait(false);
        _client = _app.GetTestClient();

        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var range90 = string.Create(CultureInfo.InvariantCulture, $"range=custom&from={today.AddDays(-(Days - 1)):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var key = project.ApiKeys.First(k => k.Name == "web-backend").ApiKeyId;
        _days90 = "/usage?" + range90;
        _days7 = "/usage?range=7d";
        _filtered = $"/usage?{range90}&key={key}&model={api.Models.First(m => m.Name == "nova-3").ModelId}";
        _csv = "/usage/export.csv?" + range90;
        foreach (var url in new[] { _days90, _days7, _filtered, _csv })
        {
            using var response = await _client.GetAsync(url).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var timing = response.Headers.TryGetValues("Server-Timing", out var t) ? string.Join(", ", t) : "";
            if (!response.IsSuccessStatusCode || (!url.Contains("export", StringComparison.Ordinal) && !body.Contains("data-kpi=\"requests\"", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode}, no figures:\n{body[..Math.Min(body.Length, 2000)]}");
            }
            Console.WriteLine($"// GET {url}: {body.Length:N0} chars; first answer's Server-Timing: {timing}");
        }
    }

    [Benchmark(Description = "Page, 90 days")]
    public Task<long> Page90Days() => GetAsync(_days90);

    [Benchmark(Description = "Page, 7 days")]
    public Task<long> Page7Days() => GetAsync(_days7);

    [Benchmark(Description = "Page, 90 days, one key and model")]
    public Task<long> Page90DaysFiltered() => GetAsync(_filtered);

    [Benchmark(Description = "CSV export, 90 days")]
    public Task<long> Csv90Days() => GetAsync(_csv);

    [IterationSetup]
    public void StartCpu() => _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

    [IterationCleanup]
    public void StopCpu() => _cpuMs.Add((Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalMilliseconds);

    private async Task<long> GetAsync(string url)
    {
        using var response = await _client.GetAsync(url).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return body.Length;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var measured = _cpuMs.TakeLast(Iterations).Order().ToList(); // the warm-ups came first
        if (measured.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// CPU time per operation (process): median {measured[measured.Count / 2]:0.0} ms, min {measured[0]:0.0} ms, max {measured[^1]:0.0} ms over {measured.Count} iterations; load average {LoadAverage()}"));
        }
        _client.Dispose();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _archive.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// The archive file of <paramref name="rows"/> request logs (built when missing). The fake generates a little more
    /// than asked over the 90 days; evenly spaced ones are kept, so the rows spread over the whole range. They are
    /// committed newest first in batches of 5,000 (the sync's <see cref="UsageArchiveOptions.RowsPerCommit"/>), with
    /// the checkpoint of a completed pass at <see cref="Now"/>.
    /// </summary>
    internal static async Task<string> ArchiveAsync(int rows)
    {
        var path = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"usagesdk-bench-dashboard-{rows}-{Version}.db"));
        if (File.Exists(path))
        {
            return path;
        }
        var sw = Stopwatch.StartNew();
        var clock = new FixedClock(Now);
        // About 95% of RequestsPerDay a day (quieter weekends, today is not over): ask for a tenth more than needed.
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = Seed, Days = Days, RequestsPerDay = (int)(rows * 1.1 / Days) + 1, TimeProvider = clock });
        var projectId = api.Projects[0].ProjectId;
        var all = api.GetRequests(projectId); // newest first
        if (all.Count < rows)
        {
            throw new InvalidOperationException($"The fake generated {all.Count:N0} requests, fewer than {rows:N0}.");
        }
        Console.WriteLine($"// Building {path}: {rows:N0} of {all.Count:N0} generated requests ({sw.Elapsed.TotalSeconds:0} s so far)");
        var building = path + ".building";
        DeleteDatabase(building);
        var batchSize = new UsageArchiveOptions().RowsPerCommit;
        await using (var store = new SqliteArchiveStore(building))
        {
            await store.InitializeAsync().ConfigureAwait(false);
            var batch = new List<UsageRequest>(batchSize);
            var pass = new ArchivePass(all[^1].Created, Now, null, 0, 0);
            for (var i = 0; i < rows; i++)
            {
                batch.Add(all[(int)((long)i * all.Count / rows)]);
                if (batch.Count == batchSize || i == rows - 1)
                {
                    var done = i == rows - 1;
                    var checkpoint = new ArchiveCheckpoint(done ? Now : null, done ? null : pass, null, Now);
                    await store.CommitPageAsync(projectId, batch, checkpoint).ConfigureAwait(false);
                    batch.Clear();
                }
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Move(building, path); // whole or not at all: a run stopped while building leaves no cached file
        Console.WriteLine($"// Built {path} in {sw.Elapsed.TotalSeconds:0} s ({new FileInfo(path).Length / (1024.0 * 1024):0} MB)");
        return path;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal", ".sync-lock" })
        {
            File.Delete(path + suffix);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
