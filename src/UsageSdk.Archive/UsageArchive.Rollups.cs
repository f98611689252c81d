using UsageSdk.Archive.Internal;
using UsageSdk.Reports;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive;

/// <summary>Reports from the roll-ups (the dashboard's archive source reads them).</summary>
public sealed partial class UsageArchive
{
    /// <summary>
    /// The report of the archived requests created in <c>[start, end)</c>, and of those of them that pass a filter, from
    /// the store's roll-ups (see <see cref="RollupReports"/>); a store without roll-ups is read from its request logs.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="start">Start of the range (inclusive).</param>
    /// <param name="end">End of the range (exclusive).</param>
    /// <param name="shapeFilter">The filter on roll-up shapes, or null for none; the same filter as <paramref name="requestFilter"/>.</param>
    /// <param name="requestFilter">The filter on request logs (for the logs the roll-ups leave out).</param>
    /// <param name="options">The report options.</param>
    /// <param name="allSeries">With a filter: false when the report of all requests is read only for its totals and groups (it then has no time series, see <see cref="UsageReportBuilder.OmitTimeSeries"/>).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    internal async Task<(UsageReport Filtered, UsageReport All, RollupRead Read)> GetRollupReportsAsync(
        string projectId, DateTimeOffset start, DateTimeOffset end, Func<RollupShape, bool>? shapeFilter, Func<UsageRequest, bool>? requestFilter,
        UsageReportOptions options, bool allSeries = true, CancellationToken cancellationToken = default)
    {
        CheckProject(projectId);
        ArgumentNullException.ThrowIfNull(options);
        if ((shapeFilter is null) != (requestFilter is null))
        {
            throw new ArgumentException("Give both filters (the same one, on shapes and on request logs) or neither.", nameof(shapeFilter));
        }
        allSeries |= shapeFilter is null; // without a filter, the report of all is the view's, series and all
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow();
        if (Store is IRollupStore rollups)
        {
            return await RollupReports.BuildAsync(rollups, projectId, start, end, now, shapeFilter, requestFilter, options, allSeries, cancellationToken).ConfigureAwait(false);
        }
        var all = new UsageReportBuilder(options);
        if (!allSeries)
        {
            all.OmitTimeSeries(); // the same report as from roll-ups
        }
        var filtered = requestFilter is null ? null : new UsageReportBuilder(options);
        await foreach (var r in Store.QueryRequestsAsync(projectId, new RequestsQuery().Between(start, end), now, cancellationToken).ConfigureAwait(false))
        {
            if (r.Created < start || r.Created >= end)
            {
                continue;
            }
            all.Add(r);
            if (filtered is not null && requestFilter!(r))
            {
                filtered.Add(r);
            }
        }
        var stats = await Store.GetStatisticsAsync(projectId, cancellationToken).ConfigureAwait(false);
        var read = new RollupRead { Oldest = stats.Oldest, Newest = stats.Newest, Checkpoint = stats.Checkpoint };
        var allReport = all.Build();
        return (filtered?.Build() ?? allReport, allReport, read);
    }
}
