using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive;
using UsageSdk.Testing;

namespace UsageSdk.ChaosRunner;

/// <summary>
/// <c>sync --db file.db</c>: syncs the SQLite archive from a seeded FakeUsageApi on a fixed clock, printing
/// <c>committed {pages} {items}</c> after each committed page and <c>done {pages} {items} {resumed}</c> at the end. The
/// archive crash test (tests/UsageSdk.Tests/Reliability/ArchiveCrashTests.cs) kills this process mid-sync and runs it again.
/// </summary>
public static class ArchiveSyncMode
{
    /// <summary>The fixed clock of the fake API and of the archive: every run (and process) sees the same data.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    public static FakeUsageApi CreateApi(int seed, int days, int perDay) => new(new FakeUsageApiOptions
    {
        Seed = seed,
        Days = days,
        RequestsPerDay = perDay,
        TimeProvider = new FakeTimeProvider(Now),
    });

    public static async Task<int> RunAsync(string database, int seed, int days, int perDay, int pageSize)
    {
        var api = CreateApi(seed, days, perDay);
        var client = api.CreateClient(o => o.Retry.MaxRetries = 0);
        var options = new UsageArchiveOptions { PageSize = pageSize, Prefetch = 1, RowsPerCommit = 4 * pageSize, TimeProvider = api.TimeProvider }; // batches of 4 pages: a kill lands inside a batch too
        await using var archive = UsageArchive.Open(database, client, options);
        var result = await archive.SyncAsync(FakeUsageApi.DemoProjectId, new LineProgress());
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {result.Pages} {result.Items} {result.Resumed}"));
        Console.Out.Flush();
        return 0;
    }

    /// <summary>Prints each committed page at once (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    private sealed class LineProgress : IProgress<ArchiveSyncProgress>
    {
        public void Report(ArchiveSyncProgress value)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {value.Pages} {value.Items}"));
            Console.Out.Flush();
        }
    }
}
