namespace UsageSdk.Reports;

/// <summary>Builds usage reports from request listings.</summary>
public static class UsageReportExtensions
{
    /// <summary>
    /// Reads every request of a listing once, folding each into running sums (memory grows with the number of groups
    /// and hours, not with the number of requests), and returns the report. Works on
    /// <c>client.GetRequestsAsync(projectId, query)</c> and on any other stream of request logs.
    /// </summary>
    /// <param name="requests">The request logs.</param>
    /// <param name="options">Price table, spike factor, budgets, period; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names the setting).</exception>
    public static async Task<UsageReport> ToReportAsync(this IAsyncEnumerable<UsageRequest> requests, UsageReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var builder = new UsageReportBuilder(options);
        await builder.AddRangeAsync(requests, cancellationToken).ConfigureAwait(false);
        return builder.Build();
    }

    /// <summary>Builds the report of request logs already in memory.</summary>
    /// <param name="requests">The request logs.</param>
    /// <param name="options">The options; null for the defaults.</param>
    public static UsageReport ToReport(this IEnumerable<UsageRequest> requests, UsageReportOptions? options = null)
        => UsageReport.FromRequests(requests, options);

    /// <summary>Builds the report of a usage breakdown (see <see cref="UsageReport.FromBreakdown"/>).</summary>
    /// <param name="breakdown">The breakdown.</param>
    /// <param name="options">The options; null for the defaults.</param>
    public static UsageReport ToReport(this UsageBreakdown breakdown, UsageReportOptions? options = null)
        => UsageReport.FromBreakdown(breakdown, options);
}
