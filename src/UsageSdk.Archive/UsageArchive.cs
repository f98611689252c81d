using System.Diagnostics;
using System.Runtime.CompilerServices;
using UsageSdk.Archive.Internal;
using UsageSdk.Reports;

namespace UsageSdk.Archive;

/// <summary>
/// A long-term archive of a project's request logs (the server keeps only 90 days), with its daily usage summary and
/// breakdowns. <see cref="SyncAsync"/> reads what is new since the last sync (plus a trailing window, so pending
/// requests and late cost are updated in place) and commits pages in batches (<see cref="UsageArchiveOptions.RowsPerCommit"/>)
/// with the checkpoint of the last one: a crash or a network
/// fault loses nothing and the next sync resumes where it stopped. Read it back with <see cref="QueryAsync"/>, which takes
/// the same <see cref="RequestsQuery"/> filters as the API.
/// </summary>
/// <example>
/// <code>
/// await using var archive = UsageArchive.Open("usage.db", client);          // PostgresArchive.Open("postgres://…") for PostgreSQL
/// await archive.SyncAsync(projectId);                                         // run it every few minutes
/// await foreach (var r in archive.QueryAsync(projectId, new RequestsQuery().WithStatus(RequestStatus.Failed))) { }
/// </code>
/// </example>
public sealed partial class UsageArchive : IAsyncDisposable
{
    private readonly UsageClient? _client;
    private readonly UsageArchiveOptions _options;
    private readonly bool _ownsStore;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates an archive over a store.</summary>
    /// <param name="store">The database.</param>
    /// <param name="client">The client that <see cref="SyncAsync"/> reads the API with; null for an archive that is only read.</param>
    /// <param name="options">Settings, or null for the defaults. They are copied.</param>
    /// <param name="ownsStore">Dispose the store with the archive.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names the setting).</exception>
    public UsageArchive(IUsageArchiveStore store, UsageClient? client = null, UsageArchiveOptions? options = null, bool ownsStore = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        _client = client;
        _options = (options ?? new UsageArchiveOptions()).Clone();
        _options.Validate();
        _ownsStore = ownsStore;
    }

    /// <summary>
    /// Opens the SQLite archive named by <paramref name="database"/> (see <see cref="OpenStore"/>). The archive owns the store.
    /// For PostgreSQL, use <c>PostgresArchive.Open</c> of the <c>UsageSdk.Archive.PostgreSql</c> package.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="client">The client to sync with, or null to only read.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    public static UsageArchive Open(string database, UsageClient? client = null, UsageArchiveOptions? options = null)
        => new(OpenStore(database), client, options, ownsStore: true);

    /// <summary>
    /// Opens a SQLite store from a database name: a SQLite connection string (<c>Data Source=…</c>) or anything else,
    /// taken as a file path. A PostgreSQL name (<c>postgres://…</c>, <c>Host=…;Database=…</c>) is refused with a
    /// message that names the <c>UsageSdk.Archive.PostgreSql</c> package, whose <c>PostgresArchive.OpenStore</c> takes both.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <exception cref="ArgumentException">The name is empty, or names a PostgreSQL database.</exception>
    public static IUsageArchiveStore OpenStore(string database)
    {
        if (string.IsNullOrWhiteSpace(database))
        {
            throw new ArgumentException("The database is empty: pass a SQLite file path (usage.db) or a PostgreSQL URL (postgres://user:pass@host:5432/db).", nameof(database));
        }
        if (DatabaseName.IsPostgres(database))
        {
            throw new ArgumentException("This names a PostgreSQL database: add the UsageSdk.Archive.PostgreSql package and open it with PostgresArchive.Open(database, client) (or new PostgresArchiveStore(database)).", nameof(database));
        }
        return new SqliteArchiveStore(database);
    }

    /// <summary>The database.</summary>
    public IUsageArchiveStore Store { get; }

    /// <summary>
    /// Brings the archive of a project up to date. A new pass reads the logs created from the end of the last completed
    /// pass minus <see cref="UsageArchiveOptions.TrailingWindow"/> up to now (the first pass: <see cref="UsageArchiveOptions.InitialLookback"/>);
    /// an unfinished pass (a crash, a cancellation, an API failure) is resumed at its next page. Each page is inserted
    /// or updated in place together with its checkpoint in one transaction. When the last completed pass ended before
    /// the oldest log the server still keeps, the stretch in between is recorded as a gap. Then, when
    /// <see cref="UsageArchiveOptions.SyncUsage"/> is on, the daily usage summary and breakdowns of the days read are stored.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="progress">Told the pages and items committed after each commit (see <see cref="UsageArchiveOptions.RowsPerCommit"/>).</param>
    /// <param name="cancellationToken">Stops the sync after the current page (the pages read so far are committed first); the next sync resumes there.</param>
    /// <returns>What the sync did.</returns>
    /// <exception cref="InvalidOperationException">The archive was made without a client.</exception>
    /// <exception cref="UsageApiException">The API failed (after the client's retries). Committed pages stay; the next sync resumes.</exception>
    public async Task<ArchiveSyncResult> SyncAsync(string projectId, IProgress<ArchiveSyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("This archive has no UsageClient to sync with; open it with one (UsageArchive.Open(database, client)).");
        CheckProject(projectId);
        var started = Stopwatch.GetTimestamp();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var store = Store;
        await using var projectLock = (await store.LockProjectAsync(projectId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

        var time = _options.TimeProvider;
        var checkpoint = await store.GetCheckpointAsync(projectId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var end = CeilingSecond(now);
        var horizon = FloorSecond(end - UsageArchiveOptions.ServerRetention);
        ArchiveGap? gap = null;
        ArchivePass pass;
        var resumed = checkpoint?.Pass is not null;
        if (checkpoint?.Pass is { } open)
        {
            pass = open;
            if (open.Start < horizon && open.ContinuationToken is not null)
            {
                gap = new ArchiveGap(open.Start, horizon, now); // the unread, oldest pages of the pass have left the server
            }
        }
        else
        {
            var start = checkpoint?.SyncedThrough is { } through ? through - _options.TrailingWindow : end - _options.InitialLookback;
            if (checkpoint?.SyncedThrough is { } last && last < horizon)
            {
                gap = new ArchiveGap(last, horizon, now);
            }
            start = FloorSecond(start < horizon ? horizon : start);
            pass = new ArchivePass(start > end ? end : start, end, null, 0, 0);
        }
        if (gap is not null)
        {
            await store.AddGapAsync(projectId, gap, cancellationToken).ConfigureAwait(false);
        }

        var query = new RequestsQuery().Between(pass.Start, pass.End).WithPageSize(_options.PageSize).WithPrefetch(_options.Prefetch);
        var pageable = client.GetRequestsAsync(projectId, query, cancellationToken);
        IAsyncEnumerable<Page<UsageRequest>> pages;
        try
        {
            pages = pageable.AsPages(pass.ContinuationToken);
        }
        catch (ArgumentException) when (pass.ContinuationToken is not null)
        {
            // A token this SDK version cannot read: read the whole window again (upserts make that harmless).
            pass = new ArchivePass(pass.Start, pass.End, null, pass.Pages, pass.Items);
            pages = pageable.AsPages();
        }

        long pageCount = 0, items = 0, added = 0, skipped = 0;
        DateTimeOffset? position = null;
        // Pages are written together until RowsPerCommit rows wait (one transaction with the checkpoint of the last one):
        // every commit rewrites the index pages its random request ids touch, so bigger commits keep the rate flat as the
        // archive grows. A batch commits on another thread while the next one is read, one commit at a time and in order;
        // a batch is never committed after one that failed (its checkpoint would skip the failed rows). A fault or a
        // cancellation first commits the pages already read, so nothing read is lost.
        var batch = new List<UsageRequest>();
        var spare = new List<UsageRequest>();
        var batchPages = 0;
        ArchiveCheckpoint? batchCheckpoint = null;
        long batchStored = 0, batchSkipped = 0;
        Task? committing = null;

        async Task CommitAsync(List<UsageRequest> rows, ArchiveCheckpoint commit, int pages, long stored, long withoutId, ArchivePass at, DateTimeOffset? reached, CancellationToken token)
        {
            // On the thread pool, off the reading loop (and off any synchronization context): the next batch is read meanwhile.
            added += await Task.Run(() => store.CommitPageAsync(projectId, rows, commit, token), CancellationToken.None).ConfigureAwait(false);
            pageCount += pages;
            items += stored;
            skipped += withoutId;
            progress?.Report(new ArchiveSyncProgress(pageCount, items, Stopwatch.GetElapsedTime(started), at, reached));
        }

        async Task WaitForCommitAsync()
        {
            if (committing is { } running)
            {
                committing = null;
                await running.ConfigureAwait(false); // a failed commit surfaces here, and nothing is committed after it
            }
        }

        async Task FlushAsync(bool wait, CancellationToken token)
        {
            if (batchCheckpoint is not { } commit)
            {
                await WaitForCommitAsync().ConfigureAwait(false);
                return;
            }
            batchCheckpoint = null; // a commit that failed is not tried again: the store's fault surfaces as it is
            await WaitForCommitAsync().ConfigureAwait(false);
            var rows = batch;
            (batch, spare) = (spare, batch);
            batch.Clear();
            committing = CommitAsync(rows, commit, batchPages, batchStored, batchSkipped, pass, position, token);
            batchPages = 0;
            batchStored = batchSkipped = 0;
            if (wait)
            {
                await WaitForCommitAsync().ConfigureAwait(false);
            }
        }

        try
        {
            await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var values = page.Values;
                var withoutId = 0;
                foreach (var v in values)
                {
                    if (string.IsNullOrEmpty(v.RequestId))
                    {
                        withoutId++;
                    }
                    if (position is null || v.Created < position)
                    {
                        position = v.Created;
                    }
                }
                var stored = values.Count - withoutId;
                pass = new ArchivePass(pass.Start, pass.End, page.ContinuationToken, pass.Pages + 1, pass.Items + stored);
                var at = time.GetUtcNow();
                batchCheckpoint = page.ContinuationToken is null
                    ? new ArchiveCheckpoint(Max(checkpoint?.SyncedThrough, pass.End), null, checkpoint?.UsageSyncedThrough, at)
                    : new ArchiveCheckpoint(checkpoint?.SyncedThrough, pass, checkpoint?.UsageSyncedThrough, at);
                batch.AddRange(values);
                batchPages++;
                batchStored += stored;
                batchSkipped += withoutId;
                if (batch.Count >= _options.RowsPerCommit || page.ContinuationToken is null)
                {
                    await FlushAsync(wait: page.ContinuationToken is null, cancellationToken).ConfigureAwait(false);
                }
            }
            await FlushAsync(wait: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (batchCheckpoint is not null || committing is not null)
        {
            await FlushAsync(wait: true, CancellationToken.None).ConfigureAwait(false); // keep what was read; the next sync resumes after it
            throw;
        }

        var usageDays = 0;
        if (_options.SyncUsage)
        {
            var to = DateOnly.FromDateTime(pass.End.UtcDateTime);
            var from = DateOnly.FromDateTime(pass.Start.UtcDateTime);
            if (checkpoint?.UsageSyncedThrough is { } usageThrough && usageThrough < from)
            {
                from = usageThrough; // an earlier usage step failed: catch up from where it stopped
            }
            if (from > to)
            {
                from = to;
            }
            var range = new UsageQuery().Between(from, to);
            var summary = await client.GetSummaryAsync(projectId, range, cancellationToken).ConfigureAwait(false);
            var breakdowns = new List<ArchivedBreakdown>(_options.BreakdownGroupings.Count);
            foreach (var grouping in _options.BreakdownGroupings)
            {
                var breakdown = await client.GetBreakdownAsync(projectId, range.GroupBy(grouping), cancellationToken).ConfigureAwait(false);
                breakdowns.Add(new ArchivedBreakdown(grouping, breakdown));
            }
            await store.CommitUsageAsync(projectId, from, to, summary, breakdowns, cancellationToken).ConfigureAwait(false);
            usageDays = to.DayNumber - from.DayNumber + 1;
        }

        return new ArchiveSyncResult(projectId, pass.Start, pass.End, resumed, pageCount, items, added, skipped, gap, usageDays, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Reads archived request logs, newest first, with the filters the API takes (start, end, status, accessor, request id,
    /// deployment, endpoint, method). The log states are derived at the time of reading, as the client does.
    /// Streams: memory does not grow with the number of logs.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="query">Filters, or null for every archived log of the project.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="ArgumentException">The query has raw parameters (<see cref="RequestsQuery.WithParameter"/>), which the archive cannot apply.</exception>
    public IAsyncEnumerable<UsageRequest> QueryAsync(string projectId, RequestsQuery? query = null, CancellationToken cancellationToken = default)
    {
        CheckProject(projectId);
        var q = query ?? new RequestsQuery();
        if (q.Parameters.Count > 0)
        {
            throw new ArgumentException($"The archive cannot filter on raw API parameters ({string.Join(", ", q.Parameters.Select(p => p.Key))}); use the typed filters.", nameof(query));
        }
        return QueryCoreAsync(projectId, q, cancellationToken);
    }

    private async IAsyncEnumerable<UsageRequest> QueryCoreAsync(string projectId, RequestsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var r in Store.QueryRequestsAsync(projectId, query, _options.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            yield return r;
        }
    }

    /// <summary>Writes archived request logs to CSV or JSON Lines (see <see cref="UsageExport"/>).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="query">Filters, or null for all.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="progress">Told the items and time so far.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    public Task<ExportProgress> ExportAsync(string projectId, RequestsQuery? query, Stream output, ExportFormat format, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
        => UsageExport.WriteRequestsAsync(QueryAsync(projectId, query, cancellationToken), output, format, progress, cancellationToken);

    /// <summary>
    /// Builds a usage report (per key, model, tag, method, hour: requests, tokens, audio hours, cost, log states) from the
    /// archived request logs in one streaming pass, over any stretch the archive holds (past the server's 90 days).
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="query">Filters (for example <see cref="RequestsQuery.Between"/>), or null for every archived log.</param>
    /// <param name="options">Report options (price table, budgets, …), or null for the defaults.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public Task<UsageReport> GetReportAsync(string projectId, RequestsQuery? query = null, UsageReportOptions? options = null, CancellationToken cancellationToken = default)
        => QueryAsync(projectId, query, cancellationToken).ToReportAsync(options, cancellationToken);

    /// <summary>Reads the archived daily usage summary (it is kept past the server's 90 days of request logs).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="start">The first day, or null for all.</param>
    /// <param name="end">The last day, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<UsageSummary> GetSummaryAsync(string projectId, DateOnly? start = null, DateOnly? end = null, CancellationToken cancellationToken = default)
    {
        CheckProject(projectId);
        CheckDays(start, end);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await Store.GetSummaryAsync(projectId, start, end, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the archived daily breakdown of one grouping.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="grouping">The grouping (one of <see cref="UsageArchiveOptions.BreakdownGroupings"/>).</param>
    /// <param name="start">The first day, or null for all.</param>
    /// <param name="end">The last day, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<UsageBreakdown> GetBreakdownAsync(string projectId, UsageGrouping grouping, DateOnly? start = null, DateOnly? end = null, CancellationToken cancellationToken = default)
    {
        CheckProject(projectId);
        CheckDays(start, end);
        if (string.IsNullOrEmpty(grouping.ToString()))
        {
            throw new ArgumentException("The grouping is empty; use a UsageGrouping value such as UsageGrouping.Models.", nameof(grouping));
        }
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await Store.GetBreakdownAsync(projectId, grouping, start, end, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads what the archive holds for a project: counts, time span, the sync checkpoint and the recorded gaps.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ArchiveStatistics> GetStatisticsAsync(string projectId, CancellationToken cancellationToken = default)
    {
        CheckProject(projectId);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await Store.GetStatisticsAsync(projectId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The projects the archive holds (a sync checkpoint or usage days), sorted by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<string>> GetProjectIdsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await Store.GetProjectIdsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the store when the archive owns it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsStore)
        {
            await Store.DisposeAsync().ConfigureAwait(false);
        }
        _initGate.Dispose();
    }

    /// <summary>Describes the archive (its database; never a password).</summary>
    public override string ToString() => $"UsageArchive {{ {Store.Description} }}";

    private async ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await Store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initGate.Release();
        }
    }

    private static void CheckProject(string projectId)
    {
        if (string.IsNullOrWhiteSpace(projectId))
        {
            throw new ArgumentException("The project id must not be null, empty or white space.", nameof(projectId));
        }
    }

    private static void CheckDays(DateOnly? start, DateOnly? end)
    {
        if (start is { } s && end is { } e && e < s)
        {
            throw new ArgumentException($"The end ({e:yyyy-MM-dd}) is before the start ({s:yyyy-MM-dd}); pass the earlier day first.", nameof(end));
        }
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    internal static DateTimeOffset FloorSecond(DateTimeOffset t)
        => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    internal static DateTimeOffset CeilingSecond(DateTimeOffset t)
    {
        var rem = t.UtcTicks % TimeSpan.TicksPerSecond;
        return new(rem == 0 ? t.UtcTicks : t.UtcTicks - rem + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
