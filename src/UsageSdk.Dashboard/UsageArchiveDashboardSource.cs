using UsageSdk.Archive;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Dashboard;

/// <summary>
/// A UsageSdk archive (SQLite or PostgreSQL) as a dashboard source: any range the archive holds, past the API's 90
/// days. Each view reads the archive's hourly and daily roll-ups (kept with every synced batch), not its request logs:
/// a 90-day page over a million requests costs about 165 ms of CPU (docs/performance.md, "Dashboard on a big
/// archive"). The figures are the ones the request logs of the range give; only the partial hours at the ends of a
/// custom range and the requests that may still be pending are read as logs. With a price table, the billed cost of a
/// request that used several models is split among them per roll-up (the hour's requests of one kind together) rather
/// than per request. An archive store of your own (without roll-ups) is read from its request logs. The archive is
/// only read; keep it synced with <c>usage archive sync</c> or the worker sample.
/// </summary>
public sealed class UsageArchiveDashboardSource : IUsageDashboardSource
{
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
        var filters = query.Filters;
        Func<RollupShape, bool>? shapeFilter = filters.IsEmpty ? null : filters.Matches;
        Func<UsageRequest, bool>? requestFilter = filters.IsEmpty ? null : filters.Matches;
        var (report, unfiltered, read) = await _archive.GetRollupReportsAsync(
            query.ProjectId, query.Start, query.End, shapeFilter, requestFilter, query.ReportOptions, allSeries: false, cancellationToken).ConfigureAwait(false);
        var syncedTo = read.Checkpoint?.SyncedThrough ?? read.Newest;
        string? note = null;
        if (syncedTo is { } s && s < query.End && s < query.Now)
        {
            note = $"The archive was synced up to {s:yyyy-MM-dd HH:mm} UTC; later requests are not in it yet (usage archive sync).";
        }
        return new UsageDashboardData(report, unfiltered)
        {
            AvailableFrom = read.Oldest,
            AvailableTo = syncedTo,
            Note = note,
            InvoicedNote = "An archive keeps request logs and usage totals, not the billing API.",
        };
    }
}
