namespace UsageSdk.Archive.Tests.Infrastructure;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

public static class AsyncList
{
    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }
        return list;
    }
}

/// <summary>
/// A store that runs a hook before each page commit reaches the database: the hook gets the commit's number (from 1) and
/// may throw (a crash mid-sync) or wait. The other hook runs once the commit is done.
/// </summary>
public sealed class HookedStore(IUsageArchiveStore inner, Func<int, Task> beforeCommit, Action<int>? afterCommit = null) : IUsageArchiveStore
{
    private int _commits;

    /// <summary>A store that fails the n-th page commit before it reaches the database.</summary>
    public static HookedStore Failing(IUsageArchiveStore inner, int failOnCommit)
        => new(inner, n => n == failOnCommit ? throw new IOException("simulated crash before the commit") : Task.CompletedTask);

    public string Description => inner.Description;
    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);
    public Task<IAsyncDisposable> LockProjectAsync(string projectId, CancellationToken cancellationToken = default) => inner.LockProjectAsync(projectId, cancellationToken);
    public Task<ArchiveCheckpoint?> GetCheckpointAsync(string projectId, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(projectId, cancellationToken);

    public async Task<int> CommitPageAsync(string projectId, IReadOnlyList<UsageRequest> requests, ArchiveCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _commits);
        await beforeCommit(n);
        var added = await inner.CommitPageAsync(projectId, requests, checkpoint, cancellationToken);
        afterCommit?.Invoke(n);
        return added;
    }

    public Task AddGapAsync(string projectId, ArchiveGap gap, CancellationToken cancellationToken = default) => inner.AddGapAsync(projectId, gap, cancellationToken);
    public Task CommitUsageAsync(string projectId, DateOnly from, DateOnly to, UsageSummary? summary, IReadOnlyList<ArchivedBreakdown> breakdowns, CancellationToken cancellationToken = default)
        => inner.CommitUsageAsync(projectId, from, to, summary, breakdowns, cancellationToken);
    public IAsyncEnumerable<UsageRequest> QueryRequestsAsync(string projectId, RequestsQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
        => inner.QueryRequestsAsync(projectId, query, now, cancellationToken);
    public Task<UsageSummary> GetSummaryAsync(string projectId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default) => inner.GetSummaryAsync(projectId, from, to, cancellationToken);
    public Task<UsageBreakdown> GetBreakdownAsync(string projectId, UsageGrouping grouping, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
        => inner.GetBreakdownAsync(projectId, grouping, from, to, cancellationToken);
    public Task<ArchiveStatistics> GetStatisticsAsync(string projectId, CancellationToken cancellationToken = default) => inner.GetStatisticsAsync(projectId, cancellationToken);
    public Task<IReadOnlyList<string>> GetProjectIdsAsync(CancellationToken cancellationToken = default) => inner.GetProjectIdsAsync(cancellationToken);

    /// <summary>Leaves the inner store open: the test reopens it as if after a restart.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A temp directory deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "usagesdk-archive-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
