using System.Globalization;
using System.Text.Json;

namespace UsageSdk.Reports;

/// <summary>
/// A usage report like the providers' dashboards: totals, groups per API key / model / tag / method / endpoint /
/// deployment, hourly and daily series (UTC), the hour-of-day distribution, the peak hour, spikes and budget breaches.
/// Build it in one streaming pass with <c>await client.GetRequestsAsync(p, q).ToReportAsync()</c>, with a
/// <see cref="UsageReportBuilder"/> from any source of request logs (an archive, a file), or from a usage breakdown
/// with <see cref="FromBreakdown"/>. Billed cost (<c>usd</c>) and the estimate from a price table are always apart.
/// </summary>
public sealed class UsageReport
{
    internal UsageReport(
        UsageReportSource source, DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset? firstRequest, DateTimeOffset? lastRequest,
        UsageFigures totals, IReadOnlyDictionary<UsageReportDimension, IReadOnlyList<UsageReportGroup>> groups,
        IReadOnlyList<UsageTimeBucket> hourly, IReadOnlyList<UsageTimeBucket> daily, IReadOnlyList<UsageFigures> hourOfDay,
        IReadOnlyList<UsageSpikeBaseline> spikeBaselines, IReadOnlyList<UsageSpike> spikes, IReadOnlyList<UsageBudgetBreach> breaches,
        decimal spikeThreshold, int topCount, string? priceSource)
    {
        Source = source;
        Start = start;
        End = end;
        FirstRequest = firstRequest;
        LastRequest = lastRequest;
        Totals = totals;
        _groups = groups;
        Hourly = hourly;
        Daily = daily;
        HourOfDay = hourOfDay;
        SpikeBaselines = spikeBaselines;
        Spikes = spikes;
        BudgetBreaches = breaches;
        SpikeThreshold = spikeThreshold;
        TopCount = topCount;
        PriceSource = priceSource;
    }

    private readonly IReadOnlyDictionary<UsageReportDimension, IReadOnlyList<UsageReportGroup>> _groups;

    /// <summary>What the report was built from. A report from a breakdown has no cost, log states or hourly series.</summary>
    public UsageReportSource Source { get; }

    /// <summary>Start of the period covered (inclusive, UTC, on the hour); null when the report is empty.</summary>
    public DateTimeOffset? Start { get; }

    /// <summary>End of the period covered (exclusive, UTC, on the hour); null when the report is empty.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>Creation time of the earliest request; null when there is none (or for a breakdown).</summary>
    public DateTimeOffset? FirstRequest { get; }

    /// <summary>Creation time of the latest request; null when there is none (or for a breakdown).</summary>
    public DateTimeOffset? LastRequest { get; }

    /// <summary>The figures of every request (each request counted once).</summary>
    public UsageFigures Totals { get; }

    /// <summary>Per API key (api_key_id, else accessor), most requests first.</summary>
    public IReadOnlyList<UsageReportGroup> ByApiKey => GetGroups(UsageReportDimension.ApiKey);

    /// <summary>
    /// Per model, most requests first. The figures of a request are <b>attributed</b>, so the rows' tokens, audio,
    /// characters and estimates add up to <see cref="Totals"/>: each token detail goes to the model it names
    /// (<see cref="TokenDetail.Model"/>), each speech segment's characters to its model (<see cref="SpeechSegment.Model"/>),
    /// the audio to the speech-to-text model (the first of the request's models that is not a text-to-speech one), and
    /// an estimate's parts to the model whose price priced them. A name in a token detail or segment is matched to the
    /// request's model ids through <see cref="UsageNames.Models"/>; a name that matches none of several models gets a
    /// row of its own (a voice agent's LLM). The billed <c>usd</c> of a request that used several models is split in
    /// proportion to the price table's estimate of each part; when it cannot be split (no price table, or none of its
    /// parts priced) it is counted in full in each of those models' rows (<see cref="UnsplitModelUsd"/>,
    /// <see cref="UsageReportGroup.UnsplitUsd"/>), and <see cref="GetOverlappingMetrics"/> lists
    /// <see cref="UsageReportMetric.BilledUsd"/>. <see cref="UsageFigures.Requests"/> and the log states count a
    /// request once in every model it used, so they overlap. A request without models (a failed or pending one) counts
    /// against the model it asked for (<c>config.model</c>, else the <c>model=</c> of its path), else against the row
    /// whose <see cref="UsageReportGroup.Key"/> is null.
    /// </summary>
    public IReadOnlyList<UsageReportGroup> ByModel => GetGroups(UsageReportDimension.Model);

    /// <summary>
    /// Billed USD of requests with several models whose cost could not be split among them: it is counted in full in
    /// each of their models' rows of <see cref="ByModel"/>. 0 when every request's cost is attributed (one model, or
    /// split by the price table), so the per-model billed cost adds up to <see cref="UsageFigures.BilledUsd"/>.
    /// </summary>
    public decimal UnsplitModelUsd { get; internal init; }

    /// <summary>How many requests make up <see cref="UnsplitModelUsd"/>.</summary>
    public long UnsplitModelRequests { get; internal init; }

    /// <summary>The names of keys and models the report was built with (<see cref="UsageReportOptions.Names"/>; a copy).</summary>
    public UsageNames Names { get; internal init; } = new();

    internal IReadOnlyDictionary<UsageReportDimension, IReadOnlyList<UsageReportMetric>> Overlaps { get; init; } = new Dictionary<UsageReportDimension, IReadOnlyList<UsageReportMetric>>();

    /// <summary>
    /// The metrics whose rows in a dimension add up to more than <see cref="Totals"/> in this report, because a request
    /// counted in more than one row: every metric for <see cref="UsageReportDimension.Tag"/> when a request had
    /// several tags (and for models from a breakdown row of several models); for <see cref="ByModel"/>,
    /// <see cref="UsageReportMetric.Requests"/> when a request used several models, plus
    /// <see cref="UsageReportMetric.BilledUsd"/> when some cost could not be split (<see cref="UnsplitModelUsd"/>) and
    /// <see cref="UsageReportMetric.Errors"/> when a failed request used several. Empty when the rows add up.
    /// </summary>
    /// <param name="dimension">The dimension.</param>
    public IReadOnlyList<UsageReportMetric> GetOverlappingMetrics(UsageReportDimension dimension)
        => Overlaps.TryGetValue(dimension, out var list) ? list : [];

    /// <summary>
    /// One sentence for the readers of a table of this dimension, saying which of its columns overlap (and, for models,
    /// which are attributed and add up); null when the rows simply add up to <see cref="Totals"/>. Every rendering
    /// (terminal, HTML, JSON) shows this same text.
    /// </summary>
    /// <param name="dimension">The dimension.</param>
    public string? GetOverlapNote(UsageReportDimension dimension)
    {
        var overlapping = GetOverlappingMetrics(dimension);
        if (overlapping.Count == 0)
        {
            return null;
        }
        if (dimension == UsageReportDimension.Model && Source == UsageReportSource.Breakdown)
        {
            return "A breakdown row of several models counts in each of its models' rows, so the rows add up to more than the total.";
        }
        if (dimension != UsageReportDimension.Model)
        {
            return $"A request with several {ReportJson.DimensionName(dimension).Replace('_', ' ')}s counts in each one's row, so the rows add up to more than the total.";
        }
        var attributed = new List<string> { "tokens", "audio hours", "TTS characters" };
        if (HasEstimates)
        {
            attributed.Add("estimated cost");
        }
        if (!overlapping.Contains(UsageReportMetric.BilledUsd))
        {
            attributed.Add("billed cost");
        }
        var note = "Per model, " + string.Join(", ", attributed.Take(attributed.Count - 1)) + " and " + attributed[^1]
            + " go to the model that used them and add up to the total; requests" + (overlapping.Contains(UsageReportMetric.Errors) ? " and errors" : "")
            + " count a request in each model it used (a voice agent lists several), so they overlap.";
        if (overlapping.Contains(UsageReportMetric.BilledUsd))
        {
            note += $" Billed cost is the cost of the requests that used each model: {UsageMoney.Format(UnsplitModelUsd)} of {UnsplitModelRequests.ToString("#,0", CultureInfo.InvariantCulture)} requests with several models could not be split without a price for their parts, so those rows overlap too.";
        }
        return note;
    }

    /// <summary>
    /// Per tag, most requests first. A request with several tags counts in each tag's group, so the groups can add up
    /// to more than <see cref="Totals"/>; requests without tags form the group whose <see cref="UsageReportGroup.Key"/> is null.
    /// </summary>
    public IReadOnlyList<UsageReportGroup> ByTag => GetGroups(UsageReportDimension.Tag);

    /// <summary>Per processing method, most requests first.</summary>
    public IReadOnlyList<UsageReportGroup> ByMethod => GetGroups(UsageReportDimension.Method);

    /// <summary>Per endpoint (listen, read, speak, agent, …), most requests first.</summary>
    public IReadOnlyList<UsageReportGroup> ByEndpoint => GetGroups(UsageReportDimension.Endpoint);

    /// <summary>Per deployment, most requests first.</summary>
    public IReadOnlyList<UsageReportGroup> ByDeployment => GetGroups(UsageReportDimension.Deployment);

    /// <summary>The <see cref="TopCount"/> API keys with the most requests.</summary>
    public IReadOnlyList<UsageReportGroup> TopApiKeys => Top(UsageReportDimension.ApiKey, TopCount);

    /// <summary>The <see cref="TopCount"/> models with the most requests.</summary>
    public IReadOnlyList<UsageReportGroup> TopModels => Top(UsageReportDimension.Model, TopCount);

    /// <summary>How many groups <see cref="TopApiKeys"/> and <see cref="TopModels"/> hold.</summary>
    public int TopCount { get; }

    /// <summary>One bucket per UTC hour from <see cref="Start"/> to <see cref="End"/>, empty hours included.</summary>
    public IReadOnlyList<UsageTimeBucket> Hourly { get; }

    /// <summary>One bucket per UTC day over the period, empty days included.</summary>
    public IReadOnlyList<UsageTimeBucket> Daily { get; }

    /// <summary>24 entries: the figures of the requests made in each hour of the day (index 0 = 00:00–00:59 UTC).</summary>
    public IReadOnlyList<UsageFigures> HourOfDay { get; }

    /// <summary>The hour with the most requests (the earliest on a tie); null without requests.</summary>
    public UsageTimeBucket? PeakHour
    {
        get
        {
            UsageTimeBucket? best = null;
            foreach (var b in Hourly)
            {
                if (b.Figures.Requests > 0 && (best is null || b.Figures.Requests > best.Figures.Requests))
                {
                    best = b;
                }
            }
            return best;
        }
    }

    /// <summary>The hour of the day (0–23, UTC) with the most requests (the earliest on a tie); null without hourly data.</summary>
    public int? PeakHourOfDay
    {
        get
        {
            int? best = null;
            for (var h = 0; h < HourOfDay.Count; h++)
            {
                if (HourOfDay[h].Requests > 0 && (best is null || HourOfDay[h].Requests > HourOfDay[best.Value].Requests))
                {
                    best = h;
                }
            }
            return best;
        }
    }

    /// <summary>The spike factor k used (see <see cref="UsageReportOptions.SpikeThreshold"/>).</summary>
    public decimal SpikeThreshold { get; }

    /// <summary>The robust norm of each metric watched for spikes (requests, tokens, billed and estimated cost); empty when the period was too short.</summary>
    public IReadOnlyList<UsageSpikeBaseline> SpikeBaselines { get; }

    /// <summary>Hours that stand far above the norm, in time order (see <see cref="UsageReportOptions.SpikeThreshold"/>).</summary>
    public IReadOnlyList<UsageSpike> Spikes { get; }

    /// <summary>Budget limits exceeded, in the order of the budgets, then by day and key.</summary>
    public IReadOnlyList<UsageBudgetBreach> BudgetBreaches { get; }

    /// <summary>Where the price table came from (<see cref="UsagePriceTable.Source"/>), when one was used.</summary>
    public string? PriceSource { get; }

    /// <summary>True when some cost is estimated (shown apart from billed cost).</summary>
    public bool HasEstimates => Totals.EstimatedRequests > 0;

    /// <summary>The groups of one dimension, most requests first (then by name).</summary>
    /// <param name="dimension">The dimension.</param>
    public IReadOnlyList<UsageReportGroup> GetGroups(UsageReportDimension dimension)
        => _groups.TryGetValue(dimension, out var list) ? list : [];

    /// <summary>The <paramref name="count"/> groups of a dimension ranked by a metric (highest first, then by name).</summary>
    /// <param name="dimension">The dimension.</param>
    /// <param name="count">How many groups.</param>
    /// <param name="by">The metric to rank by (requests by default).</param>
    public IReadOnlyList<UsageReportGroup> Top(UsageReportDimension dimension, int count, UsageReportMetric by = UsageReportMetric.Requests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return GetGroups(dimension)
            .OrderByDescending(g => g.Figures.Get(by))
            .ThenBy(g => g.Key is null ? 1 : 0)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    /// <summary>
    /// Builds a report from a usage breakdown: totals, daily series and the groups of the breakdown's grouping.
    /// A breakdown has no cost and no log states; with a price table whose models match the breakdown's models
    /// (grouping <c>models</c>), the cost is estimated.
    /// </summary>
    /// <param name="breakdown">The breakdown.</param>
    /// <param name="options">Price table, budgets and names; null for none.</param>
    public static UsageReport FromBreakdown(UsageBreakdown breakdown, UsageReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var builder = new UsageReportBuilder(options);
        builder.AddBreakdown(breakdown);
        return builder.Build();
    }

    /// <summary>Builds a report from request logs already in memory (or any enumerable source, read once).</summary>
    /// <param name="requests">The request logs.</param>
    /// <param name="options">The options; null for the defaults.</param>
    public static UsageReport FromRequests(IEnumerable<UsageRequest> requests, UsageReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var builder = new UsageReportBuilder(options);
        builder.AddRange(requests);
        return builder.Build();
    }

    /// <summary>Writes the report as JSON (snake_case names, USD as exact decimals, times in ISO 8601 UTC).</summary>
    /// <param name="indented">True for indented output.</param>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            WriteJson(writer);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the report as JSON to a writer.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ReportJson.Write(writer, this);
    }

    /// <summary>The period and totals.</summary>
    public override string ToString() => FormattableString.Invariant($"UsageReport {Start:O}..{End:O}: {Totals}");
}
