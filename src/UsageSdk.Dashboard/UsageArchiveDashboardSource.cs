using UsageSdk.Archive;

namespace UsageSdk.Dashboard;

/// <summary>
/// A UsageSdk archive (SQLite or PostgreSQL) as a dashboard source: any range the archive holds, past the API's 90
/// days. Each view reads the archived request logs of its range (<see cref="UsageArchive.QueryAsync"/>, streamed, one
/// pass). The archive is only read; keep it synced with <c>usage archive sync</c> or the worker sample.
/// </summary>
public sealed class UsageArchiveDashboardSource : IUsageDashboardSource
{
    // TODO(archive-perf): read the hourly roll-ups (per key, model, tag, method, endpoint, deployment) instead of the
    // request logs once the archive has them, so a 90-day view over 1M logs answers in under 200 ms.

    private readonly UsageArchive _archive;
    private readonly IReadOnlyList<UsageDashboardProject> _projects;

    /// <summary>Creates a source over an archive (it is not disposed by the source).</summary>
    /// <param name="archive">The archive, for example <c>UsageArchive.Open("usage.db")</c> or <c>PostgresArchive.Open(url)</c>.</param>
    /// <param name="projects">The archived projects to offer (at least one).</param>
    /// <exception cref="ArgumentException">No project is given.</exception>
    public UsageArchiveDashboardSource(UsageArchive archive, IEnumerable<UsageDashboardProject> projects)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(projects);
        _archive = archive;
        _projects = projects.ToList();
        if (_projects.Count == 0)
        {
            throw new ArgumentException("Give at least one archived project id for the dashboard to show.", nameof(projects));
        }
        Description = "archive " + archive.Store.Description;
    }

    /// <summary>Shown on the page: <c>archive</c> and the store's description (never a password).</summary>
    public string Description { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<UsageDashboardProject>> GetProjectsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult(_projects);

    /// <inheritdoc />
    public async Task<UsageDashboardData> LoadAsync(UsageDashboardQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var stats = await _archive.GetStatisticsAsync(query.ProjectId, cancellationToken).ConfigureAwait(false);
        var requests = _archive.QueryAsync(query.ProjectId, new RequestsQuery().Between(query.Start, query.End), cancellationToken);
        var reports = await query.BuildDataAsync(requests, cancellationToken).ConfigureAwait(false);
        var syncedTo = stats.Checkpoint?.SyncedThrough ?? stats.Newest;
        string? note = null;
        if (syncedTo is { } s && s < query.End && s < query.Now)
        {
            note = $"The archive was synced up to {s:yyyy-MM-dd HH:mm} UTC; later requests are not in it yet (usage archive sync).";
        }
        return new UsageDashboardData(reports.Report, reports.Unfiltered)
        {
            AvailableFrom = stats.Oldest,
            AvailableTo = syncedTo,
            Note = note,
            InvoicedNote = "An archive keeps request logs and usage totals, not the billing API.",
        };
    }
}
