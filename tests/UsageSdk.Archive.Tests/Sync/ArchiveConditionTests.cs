using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Archive.Tests.Sync;

/// <summary>
/// Expected conditions of the SQLite file (corrupt, full, read-only, locked, not openable) throw
/// <see cref="UsageArchiveException"/> naming the condition and the file, and a disk that fills in the middle of a sync
/// keeps exactly the batches committed before it; the next sync resumes after them and ends with every log once.
/// </summary>
public sealed class ArchiveConditionTests : IDisposable
{
    private const string Project = FakeUsageApi.DemoProjectId;
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static UsageRequest Log(string id) => UsageModelFactory.UsageRequest(requestId: id, projectId: "p", created: Now);

    private static readonly ArchiveCheckpoint Checkpoint = new(null, null, null, Now);

    [Theory]
    [InlineData(11, ArchiveCondition.Corrupt)]   // SQLITE_CORRUPT
    [InlineData(779, ArchiveCondition.Corrupt)]  // SQLITE_CORRUPT_INDEX
    [InlineData(26, ArchiveCondition.Corrupt)]   // SQLITE_NOTADB
    [InlineData(13, ArchiveCondition.Full)]      // SQLITE_FULL
    [InlineData(8, ArchiveCondition.ReadOnly)]   // SQLITE_READONLY
    [InlineData(1032, ArchiveCondition.ReadOnly)] // SQLITE_READONLY_DBMOVED
    [InlineData(5, ArchiveCondition.Locked)]     // SQLITE_BUSY
    [InlineData(517, ArchiveCondition.Locked)]   // SQLITE_BUSY_SNAPSHOT
    [InlineData(6, ArchiveCondition.Locked)]     // SQLITE_LOCKED
    [InlineData(14, ArchiveCondition.CannotOpen)] // SQLITE_CANTOPEN
    [InlineData(10, ArchiveCondition.IOError)]   // SQLITE_IOERR
    [InlineData(778, ArchiveCondition.IOError)]  // SQLITE_IOERR_WRITE
    public void Sqlite_error_codes_map_to_conditions(int code, ArchiveCondition condition)
    {
        var e = UsageArchiveException.FromSqlite(new SqliteException("SQLite Error: 'x'.", code), "/data/usage.db");

        Assert.NotNull(e);
        Assert.Equal(condition, e.Condition);
        Assert.Equal("/data/usage.db", e.Database);
        Assert.StartsWith("The archive /data/usage.db ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(": SQLite Error: 'x'.", e.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(e.InnerException);
    }

    [Theory]
    [InlineData(1)]  // SQLITE_ERROR (a bug, not a condition of the file)
    [InlineData(19)] // SQLITE_CONSTRAINT
    [InlineData(4)]  // SQLITE_ABORT
    public void Other_sqlite_errors_are_not_conditions(int code)
        => Assert.Null(UsageArchiveException.FromSqlite(new SqliteException("SQLite Error: 'x'.", code), "/data/usage.db"));

    [Fact]
    public async Task A_file_that_is_not_a_database_is_corrupt()
    {
        var path = _dir.File("garbage.db");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("this is not a SQLite database. ", 200)));

        var e = await Assert.ThrowsAsync<UsageArchiveException>(() => new SqliteArchiveStore(path).InitializeAsync());

        Assert.Equal(ArchiveCondition.Corrupt, e.Condition);
        Assert.Equal(path, e.Database);
        Assert.Equal($"The archive {path} is damaged or not a SQLite database (corrupt): SQLite Error 26: 'file is not a database'.", e.Message);
    }

    [Fact]
    public async Task A_read_only_file_is_read_only()
    {
        var path = _dir.File("ro.db");
        await new SqliteArchiveStore(path).InitializeAsync();

        var store = new SqliteArchiveStore($"Data Source={path};Mode=ReadOnly");
        var e = await Assert.ThrowsAsync<UsageArchiveException>(() => store.CommitPageAsync("p", [Log("a")], Checkpoint));

        Assert.Equal(ArchiveCondition.ReadOnly, e.Condition);
        Assert.StartsWith($"The archive {path} is read-only (file, folder or file system): ", e.Message, StringComparison.Ordinal);
        Assert.Equal(8, ((SqliteException)e.InnerException!).SqliteErrorCode);
    }

    [Fact]
    public async Task A_missing_file_opened_read_only_cannot_be_opened()
    {
        var path = _dir.File("missing.db");

        var e = await Assert.ThrowsAsync<UsageArchiveException>(() => new SqliteArchiveStore($"Data Source={path};Mode=ReadOnly").GetStatisticsAsync("p"));

        Assert.Equal(ArchiveCondition.CannotOpen, e.Condition);
        Assert.StartsWith($"The archive {path} cannot be opened (missing folder or no permission): ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_another_program_holds_locked_is_locked_once_the_busy_timeout_passes()
    {
        var path = _dir.File("locked.db");
        // Microsoft.Data.Sqlite retries a busy BEGIN for the connection's Default Timeout (30 s), in whole seconds: 1 here.
        var store = new SqliteArchiveStore($"Data Source={path};Default Timeout=1");
        await store.InitializeAsync();
        await using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        await other.OpenAsync();
        Execute(other, "BEGIN EXCLUSIVE;");
        store.ConnectionOpened = c => Execute(c, "PRAGMA busy_timeout=0;"); // and SQLite's own wait, instead of the store's 30 seconds

        var e = await Assert.ThrowsAsync<UsageArchiveException>(() => store.CommitPageAsync("p", [Log("a")], Checkpoint));

        Assert.Equal(ArchiveCondition.Locked, e.Condition);
        Assert.StartsWith($"The archive {path} is locked by another program (busy): ", e.Message, StringComparison.Ordinal);
        Execute(other, "ROLLBACK;");
        Assert.Equal(1, await store.CommitPageAsync("p", [Log("a")], Checkpoint)); // free again: the commit goes through
    }

    [Fact]
    public async Task A_query_of_a_corrupt_file_throws_the_condition_while_enumerating()
    {
        var path = _dir.File("garbage-query.db");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("not a database ", 400)));
        var store = new SqliteArchiveStore(path);

        var e = await Assert.ThrowsAsync<UsageArchiveException>(() => AsyncList.ToListAsync(store.QueryRequestsAsync("p", new RequestsQuery(), Now)));

        Assert.Equal(ArchiveCondition.Corrupt, e.Condition);
    }

    [Fact]
    public async Task A_disk_that_fills_during_a_sync_keeps_exactly_the_committed_batches_releases_the_lock_and_the_next_sync_completes_exactly()
    {
        var path = _dir.File("full.db");
        var time = new FakeTimeProvider(Now);
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = 11, Days = 3, RequestsPerDay = 400, TimeProvider = time });
        var expected = api.GetRequests(Project).Where(r => r.Created >= Now.AddDays(-90) && r.Created <= Now).Select(r => r.RequestId!).ToHashSet(StringComparer.Ordinal);
        Assert.True(expected.Count > 600, $"only {expected.Count} logs");
        var options = new UsageArchiveOptions { PageSize = 50, Prefetch = 1, RowsPerCommit = 200, SyncUsage = false, TimeProvider = time };
        var sqlite = new SqliteArchiveStore(path);
        // After the second batch the "disk" is full: the file may not grow past the pages it has (SQLITE_FULL, as from a full disk).
        var store = new HookedStore(sqlite, _ => Task.CompletedTask, afterCommit: n =>
        {
            if (n == 2)
            {
                sqlite.ConnectionOpened = c => Execute(c, "PRAGMA max_page_count=1;"); // capped at the current size
            }
        });
        var committed = new List<ArchiveSyncProgress>();
        var archive = new UsageArchive(store, api.CreateClient(), options);

        var e = await Assert.ThrowsAsync<UsageArchiveException>(() => archive.SyncAsync(Project, new InlineProgress<ArchiveSyncProgress>(committed.Add)));

        Assert.Equal(ArchiveCondition.Full, e.Condition);
        Assert.Equal(path, e.Database);
        Assert.Equal($"The archive {path} is full (disk or quota): SQLite Error 13: 'database or disk is full'.", e.Message);
        Assert.Equal(2, committed.Count); // the third batch hit the full disk
        var lockAfter = sqlite.LockProjectAsync(Project);
        Assert.True(lockAfter.IsCompletedSuccessfully, "the failed sync still holds the lock file"); // taken at once: released
        await (await lockAfter).DisposeAsync();
        await sqlite.DisposeAsync();

        // A restart with space again: the archive holds exactly the two committed batches, and the checkpoint after them.
        SqliteConnection.ClearAllPools();
        await using var reopened = new UsageArchive(new SqliteArchiveStore(path), api.CreateClient(), options, ownsStore: true);
        var stats = await reopened.GetStatisticsAsync(Project);
        var kept = await AsyncList.ToListAsync(reopened.QueryAsync(Project));
        Assert.Equal(committed[^1].Items, stats.Requests);
        Assert.Equal(400, stats.Requests);
        Assert.Equal(kept.Count, kept.Select(r => r.RequestId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(committed[^1].Pages, stats.Checkpoint!.Pass!.Pages);
        Assert.Equal(stats.Requests, stats.Checkpoint.Pass.Items);

        var result = await reopened.SyncAsync(Project);

        Assert.True(result.Resumed);
        Assert.Equal(expected.Count - 400, result.Items); // only what was not committed is read again
        Assert.Equal(expected.Count - 400, result.Added);
        var all = await AsyncList.ToListAsync(reopened.QueryAsync(Project));
        Assert.Equal(expected.Count, all.Count);
        Assert.True(expected.SetEquals(all.Select(r => r.RequestId!)), "the archive is not exactly the API's logs");
        Assert.Null((await reopened.GetStatisticsAsync(Project)).Checkpoint!.Pass);
    }

    [Fact]
    public async Task A_lock_file_that_cannot_be_created_fails_the_sync_instead_of_waiting_for_ever()
    {
        var path = _dir.File("nolock.db");
        var store = new SqliteArchiveStore(path);
        await store.InitializeAsync();
        File.CreateSymbolicLink(path + ".sync-lock", _dir.File("no-such-folder/lock")); // opening it fails: its folder is missing

        var e = await Assert.ThrowsAnyAsync<IOException>(() => store.LockProjectAsync("p").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.IsType<FileNotFoundException>(e); // not a TimeoutException: it did not wait
        Assert.Contains(path + ".sync-lock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sync_that_hangs_in_a_commit_and_is_cancelled_releases_the_lock()
    {
        var path = _dir.File("hang.db");
        var time = new FakeTimeProvider(Now);
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = 12, Days = 3, RequestsPerDay = 100, TimeProvider = time });
        var sqlite = new SqliteArchiveStore(path);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();
        var store = new HookedStore(sqlite, async n =>
        {
            if (n == 2)
            {
                entered.TrySetResult();
                await release.Task; // a commit that hangs (a stalled disk) until the sync is stopped
                cts.Token.ThrowIfCancellationRequested();
            }
        });
        var archive = new UsageArchive(store, api.CreateClient(), new UsageArchiveOptions { PageSize = 10, Prefetch = 1, RowsPerCommit = 20, SyncUsage = false, TimeProvider = time });

        Assert.True(api.GetRequests(Project).Count(r => r.Created <= Now) > 60, "too few logs for a second commit");

        var sync = archive.SyncAsync(Project, cancellationToken: cts.Token);
        await Task.WhenAny(entered.Task, sync);
        Assert.True(entered.Task.IsCompleted, $"the sync ended before its second commit: {sync.Status} {sync.Exception?.InnerException?.Message}");
        using (var waiting = new CancellationTokenSource())
        {
            var contender = sqlite.LockProjectAsync(Project, waiting.Token);
            Assert.False(contender.IsCompleted); // held while the sync runs
            await waiting.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => contender);
        }
        await cts.CancelAsync();
        release.TrySetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);

        var lockAfter = sqlite.LockProjectAsync(Project);
        Assert.True(lockAfter.IsCompletedSuccessfully, "the cancelled sync still holds the lock file");
        await (await lockAfter).DisposeAsync();
    }
}
