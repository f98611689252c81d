namespace UsageSdk.Archive;

/// <summary>
/// The database under a <see cref="UsageArchive"/>. Two are built in: <see cref="SqliteArchiveStore"/> (a file, the
/// default) and <c>PostgresArchiveStore</c> (package UsageSdk.Archive.PostgreSql) (a shared server). Every write is one transaction; a store must be
/// safe to use from several threads.
/// </summary>
public interface IUsageArchiveStore : IAsyncDisposable
{
    /// <summary>Describes the database for logs (never a password).</summary>
    string Description { get; }

    /// <summary>Creates the tables and indexes when missing. Safe to call again.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until no other sync of the project runs against this database, and holds it until the result is disposed.
    /// (A sync stays correct without it, but two at once would read the same pages twice.)
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task<IAsyncDisposable> LockProjectAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Reads the sync position of a project, or null when it was never synced.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ArchiveCheckpoint?> GetCheckpointAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: inserts the request logs or updates them in place (keyed by project id and request id; never
    /// a duplicate) and writes the checkpoint (<see cref="ArchiveCheckpoint.SyncedThrough"/>, <see cref="ArchiveCheckpoint.Pass"/>
    /// and <see cref="ArchiveCheckpoint.LastSyncAt"/>). Items without a request id are left out.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="requests">The page's request logs.</param>
    /// <param name="checkpoint">The position after this page.</param>
    /// <param name="cancellationToken">Cancels the call (the transaction is rolled back).</param>
    /// <returns>How many of the logs were not stored before.</returns>
    Task<int> CommitPageAsync(string projectId, IReadOnlyList<UsageRequest> requests, ArchiveCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Records a gap (a stretch whose logs the server deleted before they were archived).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="gap">The gap.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task AddGapAsync(string projectId, ArchiveGap gap, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: replaces the stored daily summary and breakdowns of the days <paramref name="from"/> to
    /// <paramref name="to"/> with these, and sets <see cref="ArchiveCheckpoint.UsageSyncedThrough"/> to <paramref name="to"/>.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="from">The first day fetched.</param>
    /// <param name="to">The last day fetched.</param>
    /// <param name="summary">The usage summary of those days, or null to leave the stored one.</param>
    /// <param name="breakdowns">The breakdowns of those days, one per grouping.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task CommitUsageAsync(string projectId, DateOnly from, DateOnly to, UsageSummary? summary, IReadOnlyList<ArchivedBreakdown> breakdowns, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads stored request logs, newest first (ties by request id, ordinal), with the filters of <paramref name="query"/>: start, end, status
    /// (succeeded: code below 300; failed: 400 or more), accessor, request id, deployment, endpoint and method.
    /// Streams: rows are read as the caller enumerates.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="query">The filters (<see cref="RequestsQuery.PageSize"/> and <see cref="RequestsQuery.Prefetch"/> are ignored; raw parameters are refused).</param>
    /// <param name="now">The time the log states are derived at.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    IAsyncEnumerable<UsageRequest> QueryRequestsAsync(string projectId, RequestsQuery query, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads the stored daily summary of a range of days (all when open).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="from">The first day, or null.</param>
    /// <param name="to">The last day, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UsageSummary> GetSummaryAsync(string projectId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default);

    /// <summary>Reads the stored daily breakdown of one grouping over a range of days (all when open).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="grouping">The grouping.</param>
    /// <param name="from">The first day, or null.</param>
    /// <param name="to">The last day, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UsageBreakdown> GetBreakdownAsync(string projectId, UsageGrouping grouping, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default);

    /// <summary>Reads what is stored for a project.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ArchiveStatistics> GetStatisticsAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>The projects the database holds a sync checkpoint or usage days for (every synced project), sorted by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<string>> GetProjectIdsAsync(CancellationToken cancellationToken = default);
}
