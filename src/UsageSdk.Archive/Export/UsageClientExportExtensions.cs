namespace UsageSdk.Archive;

/// <summary>Exports straight from the API: <c>await client.ExportRequestsAsync(projectId, query, file, ExportFormat.Csv)</c>.</summary>
public static class UsageClientExportExtensions
{
    /// <summary>
    /// Lists request logs and writes them as they arrive. Keeps two pages in flight (unless the query asks for more with
    /// <see cref="RequestsQuery.WithPrefetch"/>), so the next page downloads while this one is written.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters, or null for every log the API keeps.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="progress">Told the pages, items and time so far after each page.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    /// <exception cref="UsageApiException">The API failed (its <see cref="UsageApiException.ContinuationToken"/> names the page to resume from).</exception>
    public static Task<ExportProgress> ExportRequestsAsync(this UsageClient client, string projectId, RequestsQuery? query, Stream output, ExportFormat format, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var q = query ?? new RequestsQuery();
        if (q.Prefetch < 2)
        {
            q = q.WithPrefetch(2);
        }
        return UsageExport.WriteRequestsAsync(client.GetRequestsAsync(projectId, q, cancellationToken).AsPages(), output, format, progress, cancellationToken);
    }

    /// <summary>Gets the usage summary and writes it, one row per day.</summary>
    /// <param name="client">The client.</param>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters, or null for the API's defaults.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    public static async Task<ExportProgress> ExportSummaryAsync(this UsageClient client, string projectId, UsageQuery? query, Stream output, ExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var summary = await client.GetSummaryAsync(projectId, query, cancellationToken).ConfigureAwait(false);
        return await UsageExport.WriteSummaryAsync(summary, output, format, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the usage breakdown (grouped by <see cref="UsageQuery.GroupBy"/> when set) and writes it, one row per day and group.</summary>
    /// <param name="client">The client.</param>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters and grouping, or null for the API's defaults.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    public static async Task<ExportProgress> ExportBreakdownAsync(this UsageClient client, string projectId, UsageQuery? query, Stream output, ExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var breakdown = await client.GetBreakdownAsync(projectId, query, cancellationToken).ConfigureAwait(false);
        return await UsageExport.WriteBreakdownAsync(breakdown, output, format, cancellationToken).ConfigureAwait(false);
    }
}
