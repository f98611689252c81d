using UsageSdk.Reports;

namespace UsageSdk.Dashboard;

/// <summary>What one dashboard view asks a <see cref="IUsageDashboardSource"/> for: a project, a time range, filters and the report options.</summary>
public sealed class UsageDashboardQuery
{
    /// <summary>Creates a query.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="start">Start of the range (inclusive).</param>
    /// <param name="end">End of the range (exclusive); after <paramref name="start"/>.</param>
    /// <param name="now">The dashboard's "now" (its <see cref="UsageDashboardOptions.TimeProvider"/>): sources clip the range to it.</param>
    /// <param name="filters">The filters, or null for none. They are copied.</param>
    /// <param name="reportOptions">Prices, budgets, names and spike settings, or null for the defaults. They are copied, with <see cref="UsageReportOptions.Start"/> and <see cref="UsageReportOptions.End"/> set to the range.</param>
    /// <exception cref="ArgumentException">The project is empty, or the end is not after the start.</exception>
    public UsageDashboardQuery(string projectId, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, UsageDashboardFilters? filters = null, UsageReportOptions? reportOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        if (end <= start)
        {
            throw new ArgumentException($"The end ({end:O}) must be after the start ({start:O}).", nameof(end));
        }
        ProjectId = projectId;
        Start = start.ToUniversalTime();
        End = end.ToUniversalTime();
        Now = now.ToUniversalTime();
        Filters = filters?.Clone() ?? new UsageDashboardFilters();
        var options = reportOptions?.Clone() ?? new UsageReportOptions();
        options.Start = Start;
        options.End = End;
        ReportOptions = options;
    }

    /// <summary>The project.</summary>
    public string ProjectId { get; }

    /// <summary>Start of the range (inclusive, UTC).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>End of the range (exclusive, UTC). May be after <see cref="Now"/> (today's later hours).</summary>
    public DateTimeOffset End { get; }

    /// <summary>The dashboard's "now".</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The filters.</summary>
    public UsageDashboardFilters Filters { get; }

    /// <summary>The options to build the reports with (a copy; its start and end are the range).</summary>
    public UsageReportOptions ReportOptions { get; }

    /// <summary>
    /// Builds both reports of a view in one pass over request logs (for sources that read logs): every log of the range
    /// goes into <see cref="UsageDashboardData.Unfiltered"/>, the ones that match the filters into
    /// <see cref="UsageDashboardData.Report"/>. Logs outside the range are skipped.
    /// </summary>
    /// <param name="requests">The request logs of the range, in any order.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The two reports (copy them into a <see cref="UsageDashboardData"/> of your own to add notes).</returns>
    public async Task<UsageDashboardData> BuildDataAsync(IAsyncEnumerable<UsageRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var all = new UsageReportBuilder(ReportOptions);
        var filtered = Filters.IsEmpty ? null : new UsageReportBuilder(ReportOptions);
        await foreach (var r in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (r.Created < Start || r.Created >= End)
            {
                continue;
            }
            all.Add(r);
            if (filtered is not null && Filters.Matches(r))
            {
                filtered.Add(r);
            }
        }
        var allReport = all.Build();
        return new UsageDashboardData(filtered?.Build() ?? allReport, allReport);
    }

    /// <summary>The project, range and filters.</summary>
    public override string ToString() => $"{ProjectId} {Start:O}..{End:O} ({Filters})";
}
