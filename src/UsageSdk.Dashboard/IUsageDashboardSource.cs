namespace UsageSdk.Dashboard;

/// <summary>
/// Where the dashboard reads usage from. Built in: <see cref="UsageApiDashboardSource"/> (the live API through a
/// <see cref="UsageClient"/>, or the demo API through a client over <c>FakeUsageApi</c>) and
/// <see cref="UsageArchiveDashboardSource"/> (a UsageSdk archive: SQLite or PostgreSQL, any range). Implement it to
/// serve the page from anything else (a cache, a warehouse). A source must be safe to call from several requests at once.
/// </summary>
public interface IUsageDashboardSource
{
    /// <summary>Describes the source on the page and in exports ("live API", "archive usage.db"). Never a secret.</summary>
    string Description { get; }

    /// <summary>The projects the page offers, first one shown by default.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<UsageDashboardProject>> GetProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the usage of one view: the report of the requests in the range that match the filters, and the report of
    /// every request in the range (the filters' choices and the reason of an empty view come from it).
    /// </summary>
    /// <param name="query">The project, range, filters and report options.</param>
    /// <param name="cancellationToken">Cancels the reading (the page request was aborted).</param>
    Task<UsageDashboardData> LoadAsync(UsageDashboardQuery query, CancellationToken cancellationToken = default);
}
