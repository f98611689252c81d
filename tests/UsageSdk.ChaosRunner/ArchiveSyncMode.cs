using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive;
using UsageSdk.Testing;

namespace UsageSdk.ChaosRunner;

/// <summary>
/// <c>sync --db file.db</c>: syncs the SQLite archive from a seeded FakeUsageApi on a fixed clock, printing
/// <c>committed {pages} {items}</c> after each committed batch and <c>done {pages} {items} {resumed}</c> at the end. The
/// archive crash test (tests/UsageSdk.Archive.Tests/Sync/ArchiveCrashTests.cs) kills this process mid-sync and runs it again.
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

    /// <summary>
    /// Runs the sync. With <paramref name="stallInCommit"/> = n, the batch commit that follows the n-th reported one stops
    /// inside SQLite's COMMIT (its commit hook: the rows are written, part of them already in the WAL through a one-page
    /// cache, the commit record not yet), prints <c>in-commit {n}</c> and waits there to be killed.
    /// </summary>
    public static async Task<int> RunAsync(string database, int seed, int days, int perDay, int pageSize, int? stallInCommit = null)
    {
        var api = CreateApi(seed, days, perDay);
        var client = api.CreateClient(o => o.Retry.MaxRetries = 0);
        var options = new UsageArchiveOptions { PageSize = pageSize, Prefetch = 1, RowsPerCommit = 4 * pageSize, TimeProvider = api.TimeProvider }; // batches of 4 pages: a kill lands inside a batch too
        var progress = new LineProgress();
        var store = new SqliteArchiveStore(database);
        if (stallInCommit is { } n)
        {
            store.ConnectionOpened = c =>
            {
                using (var cmd = c.CreateCommand())
                {
                    cmd.CommandText = "PRAGMA cache_size=1;"; // dirty pages spill into the WAL before the commit
                    cmd.ExecuteNonQuery();
                }
                SQLitePCL.raw.sqlite3_commit_hook(c.Handle, _ =>
                {
                    if (Volatile.Read(ref progress.Commits) >= n)
                    {
                        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-commit {n}"));
                        Console.Out.Flush();
                        new ManualResetEventSlim().Wait(); // until killed
                    }
                    return 0;
                }, null);
            };
        }
        await using var archive = new UsageArchive(store, client, options, ownsStore: true);
        var result = await archive.SyncAsync(FakeUsageApi.DemoProjectId, progress);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {result.Pages} {result.Items} {result.Resumed}"));
        Console.Out.Flush();
        return 0;
    }

    /// <summary>Prints each committed page at once (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    private sealed class LineProgress : IProgress<ArchiveSyncProgress>
    {
        public int Commits;

        public void Report(ArchiveSyncProgress value)
        {
            Interlocked.Increment(ref Commits);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {value.Pages} {value.Items}"));
            Console.Out.Flush();
        }
    }
}
