using UsageSdk.Reports;

namespace UsageSdk.Dashboard;

/// <summary>What a <see cref="IUsageDashboardSource"/> answers for one view.</summary>
public sealed class UsageDashboardData
{
    /// <summary>Creates the answer.</summary>
    /// <param name="report">The report of the requests in the range that match the filters.</param>
    /// <param name="unfiltered">The report of every request in the range (the same instance when there are no filters).</param>
    public UsageDashboardData(UsageReport report, UsageReport unfiltered)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(unfiltered);
        Report = report;
        Unfiltered = unfiltered;
    }

    /// <summary>The report of the view: the requests in the range that match the filters.</summary>
    public UsageReport Report { get; }

    /// <summary>
    /// The report of every request in the range, without the filters: the filters' choices and the reason of an empty
    /// view. The page reads only its totals and groups; with filters, <see cref="UsageArchiveDashboardSource"/> builds it
    /// without time series (no hourly, daily or hour-of-day buckets, spikes or budget breaches), which spares reading the
    /// whole range's series.
    /// </summary>
    public UsageReport Unfiltered { get; }

    /// <summary>The oldest time the source can answer for (the API: 90 days ago; an archive: its oldest log); null when unknown.</summary>
    public DateTimeOffset? AvailableFrom { get; init; }

    /// <summary>The newest time the source has read up to (an archive: its last sync); null when it is live.</summary>
    public DateTimeOffset? AvailableTo { get; init; }

    /// <summary>A note about what was read, shown above the figures (for example the part of the range the source cannot answer for).</summary>
    public string? Note { get; init; }

    /// <summary>
    /// The cost the billing API reports for the range (<c>/billing/breakdown</c>), kept apart from the request logs'
    /// <c>usd</c> and from estimates; null when the source does not read billing (see <see cref="InvoicedNote"/>).
    /// </summary>
    public decimal? InvoicedUsd { get; init; }

    /// <summary>Why <see cref="InvoicedUsd"/> is not available, or what it covers.</summary>
    public string? InvoicedNote { get; init; }
}
