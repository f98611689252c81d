namespace UsageSdk.Reports;

/// <summary>
/// The usage figures of a set of requests: the whole report, one group (an API key, a model, …) or one time bucket.
/// Billed cost (<see cref="BilledUsd"/>, the sum of the requests' <c>usd</c>) and the estimate from a price table
/// (<see cref="EstimatedUsd"/>) are always kept apart.
/// </summary>
public sealed class UsageFigures
{
    internal UsageFigures(FiguresAccumulator a)
    {
        Requests = a.Requests;
        TokensIn = a.TokensIn;
        TokensOut = a.TokensOut;
        RequestsWithTokens = a.RequestsWithTokens;
        AudioSeconds = a.AudioSeconds;
        TtsCharacters = a.TtsCharacters;
        BilledUsd = a.BilledUsd;
        BilledRequests = a.BilledRequests;
        RequestsWithoutUsd = a.RequestsWithoutUsd;
        EstimatedUsd = a.EstimatedUsd;
        EstimatedRequests = a.EstimatedRequests;
        UnpricedRequests = a.UnpricedRequests;
        States = new RequestLogStateCounts(a.Pending, a.Unknown, a.Lost, a.Error, a.Success);
    }

    /// <summary>Requests.</summary>
    public long Requests { get; }

    /// <summary>Input tokens: the sum of <see cref="TokenDetail.Input"/> over every token detail.</summary>
    public long TokensIn { get; }

    /// <summary>Output tokens: the sum of <see cref="TokenDetail.Output"/> over every token detail.</summary>
    public long TokensOut { get; }

    /// <summary>Input plus output tokens.</summary>
    public long TokensTotal => TokensIn + TokensOut;

    /// <summary>Requests that carry at least one token detail.</summary>
    public long RequestsWithTokens { get; }

    /// <summary>Audio seconds: the sum of <see cref="RequestDetails.TotalAudio"/> (over all channels).</summary>
    public double AudioSeconds { get; }

    /// <summary>Audio hours: <see cref="AudioSeconds"/> / 3600.</summary>
    public double AudioHours => AudioSeconds / 3600d;

    /// <summary>Text-to-speech characters: the sum of <see cref="TtsDetails.Characters"/>.</summary>
    public long TtsCharacters { get; }

    /// <summary>Billed cost in US dollars: the exact sum of <see cref="RequestDetails.Usd"/> where present. Never includes estimates.</summary>
    public decimal BilledUsd { get; }

    /// <summary>Requests that carry a <c>usd</c> value (0 included).</summary>
    public long BilledRequests { get; }

    /// <summary>Requests without a <c>usd</c> value (pending, failed, or not yet settled).</summary>
    public long RequestsWithoutUsd { get; }

    /// <summary>
    /// <b>Estimated</b> cost in US dollars, from the price table, of the requests without <c>usd</c>
    /// (see <see cref="UsageReportOptions.Prices"/>). Kept apart from <see cref="BilledUsd"/>; 0 without a price table.
    /// </summary>
    public decimal EstimatedUsd { get; }

    /// <summary>Requests whose cost is estimated (no <c>usd</c>, and the price table priced at least one of their parts).</summary>
    public long EstimatedRequests { get; }

    /// <summary>Requests with neither a <c>usd</c> value nor a price in the price table: their cost is unknown.</summary>
    public long UnpricedRequests { get; }

    /// <summary>Requests per log state.</summary>
    public RequestLogStateCounts States { get; }

    /// <summary>
    /// Failed requests among those whose outcome is known: <c>Error / (Error + Success)</c>, from 0 to 1; 0 when no
    /// outcome is known. Pending, Unknown and Lost requests are left out.
    /// </summary>
    public double ErrorRate => States.Error + States.Success == 0 ? 0 : (double)States.Error / (States.Error + States.Success);

    /// <summary>Tokens (in + out) per request; 0 without requests.</summary>
    public double TokensPerRequest => Requests == 0 ? 0 : (double)TokensTotal / Requests;

    /// <summary>Output tokens per input token; null when there are no input tokens.</summary>
    public double? OutputInputRatio => TokensIn == 0 ? null : (double)TokensOut / TokensIn;

    /// <summary>Billed cost per 1,000 requests that carry a <c>usd</c> value (<c>BilledUsd / BilledRequests × 1000</c>); null when none does.</summary>
    public decimal? BilledUsdPer1000Requests => BilledRequests == 0 ? null : BilledUsd / BilledRequests * 1000m;

    /// <summary>Estimated cost per 1,000 estimated requests; null when none is estimated.</summary>
    public decimal? EstimatedUsdPer1000Requests => EstimatedRequests == 0 ? null : EstimatedUsd / EstimatedRequests * 1000m;

    /// <summary>Reads one metric (for ranking and charts).</summary>
    /// <param name="metric">The metric.</param>
    public decimal Get(UsageReportMetric metric) => metric switch
    {
        UsageReportMetric.Requests => Requests,
        UsageReportMetric.Tokens => TokensTotal,
        UsageReportMetric.TokensIn => TokensIn,
        UsageReportMetric.TokensOut => TokensOut,
        UsageReportMetric.BilledUsd => BilledUsd,
        UsageReportMetric.EstimatedUsd => EstimatedUsd,
        UsageReportMetric.AudioHours => (decimal)AudioHours,
        UsageReportMetric.TtsCharacters => TtsCharacters,
        UsageReportMetric.Errors => States.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>A one-line summary.</summary>
    public override string ToString()
        => FormattableString.Invariant($"{Requests} requests, {TokensIn} tokens in, {TokensOut} out, {AudioHours:0.###} h, billed ${BilledUsd}, estimated ${EstimatedUsd}");
}

/// <summary>Requests per <see cref="RequestLogState"/>.</summary>
public sealed class RequestLogStateCounts
{
    internal RequestLogStateCounts(long pending, long unknown, long lost, long error, long success)
    {
        Pending = pending;
        Unknown = unknown;
        Lost = lost;
        Error = error;
        Success = success;
    }

    /// <summary>Requests whose response is not recorded yet.</summary>
    public long Pending { get; }

    /// <summary>Requests whose outcome is not confirmed yet.</summary>
    public long Unknown { get; }

    /// <summary>Requests whose outcome was never logged (not charged).</summary>
    public long Lost { get; }

    /// <summary>Failed requests.</summary>
    public long Error { get; }

    /// <summary>Successful requests.</summary>
    public long Success { get; }

    /// <summary>The count of one state.</summary>
    /// <param name="state">The state.</param>
    public long this[RequestLogState state] => state switch
    {
        RequestLogState.Pending => Pending,
        RequestLogState.Unknown => Unknown,
        RequestLogState.Lost => Lost,
        RequestLogState.Error => Error,
        RequestLogState.Success => Success,
        _ => 0,
    };

    /// <summary>The counts, for example <c>Success 10, Error 1, Pending 0, Unknown 0, Lost 0</c>.</summary>
    public override string ToString() => $"Success {Success}, Error {Error}, Pending {Pending}, Unknown {Unknown}, Lost {Lost}";
}

/// <summary>The figures of one group of a report (one API key, model, tag, method, endpoint or deployment).</summary>
public sealed class UsageReportGroup
{
    internal UsageReportGroup(UsageReportDimension dimension, string? key, string name, UsageFigures figures)
    {
        Dimension = dimension;
        Key = key;
        Name = name;
        Figures = figures;
    }

    /// <summary>What the report is grouped by.</summary>
    public UsageReportDimension Dimension { get; }

    /// <summary>The group's value as the API sends it (an api_key_id, a model UUID, a tag, …); null for the requests that have none.</summary>
    public string? Key { get; }

    /// <summary>
    /// A display name: the model's or key's name when known (<see cref="UsageReportOptions.ModelNames"/>,
    /// <see cref="UsageReportOptions.ApiKeyNames"/>), else the key, else <c>(none)</c>.
    /// </summary>
    public string Name { get; }

    /// <summary>The group's figures.</summary>
    public UsageFigures Figures { get; }

    /// <summary>The dimension, name and request count.</summary>
    public override string ToString() => $"{Dimension} {Name}: {Figures.Requests} requests";
}

/// <summary>The figures of one UTC time bucket (an hour or a day).</summary>
public sealed class UsageTimeBucket
{
    internal UsageTimeBucket(DateTimeOffset start, DateTimeOffset end, UsageFigures figures)
    {
        Start = start;
        End = end;
        Figures = figures;
    }

    /// <summary>Start of the bucket (inclusive, UTC).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>End of the bucket (exclusive, UTC).</summary>
    public DateTimeOffset End { get; }

    /// <summary>The bucket's figures.</summary>
    public UsageFigures Figures { get; }

    /// <summary>The start and request count.</summary>
    public override string ToString() => FormattableString.Invariant($"{Start:yyyy-MM-dd HH:mm}Z: {Figures.Requests} requests");
}

/// <summary>An hour whose value of one metric stands far above the period's robust norm (see <see cref="UsageReportOptions.SpikeThreshold"/>).</summary>
public sealed class UsageSpike
{
    internal UsageSpike(DateTimeOffset hour, UsageReportMetric metric, decimal value, UsageSpikeBaseline baseline)
    {
        Hour = hour;
        Metric = metric;
        Value = value;
        Median = baseline.Median;
        Threshold = baseline.Threshold;
        Score = baseline.Scale == 0 ? 0 : (value - baseline.Median) / baseline.Scale;
    }

    /// <summary>Start of the hour (UTC).</summary>
    public DateTimeOffset Hour { get; }

    /// <summary>The metric that spiked.</summary>
    public UsageReportMetric Metric { get; }

    /// <summary>The hour's value.</summary>
    public decimal Value { get; }

    /// <summary>The median of the metric over every hour of the period.</summary>
    public decimal Median { get; }

    /// <summary>The value above which an hour is a spike.</summary>
    public decimal Threshold { get; }

    /// <summary>How many robust standard deviations (σ̂) the value is above the median.</summary>
    public decimal Score { get; }

    /// <summary>The hour, metric and value.</summary>
    public override string ToString() => FormattableString.Invariant($"{Hour:yyyy-MM-dd HH:mm}Z {Metric} {Value} > {Threshold}");
}

/// <summary>The robust norm of one metric over the hours of a report, against which spikes are found.</summary>
public sealed class UsageSpikeBaseline
{
    internal UsageSpikeBaseline(UsageReportMetric metric, decimal median, decimal mad, decimal scale, decimal threshold, int hours)
    {
        Metric = metric;
        Median = median;
        Mad = mad;
        Scale = scale;
        Threshold = threshold;
        Hours = hours;
    }

    /// <summary>The metric.</summary>
    public UsageReportMetric Metric { get; }

    /// <summary>The median over every hour of the period (empty hours count as 0).</summary>
    public decimal Median { get; }

    /// <summary>The upper median absolute deviation: the median of <c>value − median</c> over the hours at or above <see cref="Median"/> (unscaled).</summary>
    public decimal Mad { get; }

    /// <summary>σ̂: 1.4826 × <see cref="Mad"/>, or 1.2533 × the mean upper deviation when the MAD is 0.</summary>
    public decimal Scale { get; }

    /// <summary><see cref="Median"/> + k × <see cref="Scale"/>; hours strictly above it are spikes (none when <see cref="Scale"/> is 0).</summary>
    public decimal Threshold { get; }

    /// <summary>How many hours the statistics cover.</summary>
    public int Hours { get; }
}

/// <summary>A budget limit that was exceeded.</summary>
public sealed class UsageBudgetBreach
{
    internal UsageBudgetBreach(UsageBudget budget, UsageReportMetric metric, DateOnly? day, string? apiKey, decimal limit, decimal actual)
    {
        Budget = budget;
        Metric = metric;
        Day = day;
        ApiKey = apiKey;
        Limit = limit;
        Actual = actual;
    }

    /// <summary>The budget.</summary>
    public UsageBudget Budget { get; }

    /// <summary><see cref="UsageReportMetric.BilledUsd"/> (billed, plus the estimate when <see cref="UsageBudget.IncludeEstimatedUsd"/>) or <see cref="UsageReportMetric.Tokens"/>.</summary>
    public UsageReportMetric Metric { get; }

    /// <summary>The UTC day, for a daily budget; null for a budget over the whole report.</summary>
    public DateOnly? Day { get; }

    /// <summary>The API key, for a per-key budget; null for the project.</summary>
    public string? ApiKey { get; }

    /// <summary>The limit.</summary>
    public decimal Limit { get; }

    /// <summary>The value that exceeded it.</summary>
    public decimal Actual { get; }

    /// <summary>True when <see cref="Actual"/> includes estimated cost.</summary>
    public bool IncludesEstimate => Metric == UsageReportMetric.BilledUsd && Budget.IncludeEstimatedUsd;

    /// <summary>Describes the breach.</summary>
    public override string ToString()
        => FormattableString.Invariant($"{(Day is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " " : "")}{(ApiKey is null ? "" : "key " + ApiKey + " ")}{Metric} {Actual} > {Limit}");
}

/// <summary>What a report's groups are keyed by.</summary>
public enum UsageReportDimension
{
    /// <summary>The API key: api_key_id, or the accessor when a request has no api_key_id (the classic API sends only the accessor, which is the key's id).</summary>
    ApiKey = 0,
    /// <summary>The model (<see cref="RequestDetails.Models"/>); a request with several models counts in each.</summary>
    Model = 1,
    /// <summary>The tag (<see cref="RequestDetails.Tags"/>); a request with several tags counts in each tag's group.</summary>
    Tag = 2,
    /// <summary>The processing method (sync, async, streaming).</summary>
    Method = 3,
    /// <summary>The endpoint, from the path (<c>/v1/listen?…</c> → <c>listen</c>).</summary>
    Endpoint = 4,
    /// <summary>The deployment (hosted, beta, self-hosted).</summary>
    Deployment = 5,
}

/// <summary>A figure a report can rank, chart or watch.</summary>
public enum UsageReportMetric
{
    /// <summary>Requests.</summary>
    Requests = 0,
    /// <summary>Tokens in + out.</summary>
    Tokens = 1,
    /// <summary>Input tokens.</summary>
    TokensIn = 2,
    /// <summary>Output tokens.</summary>
    TokensOut = 3,
    /// <summary>Billed cost in US dollars.</summary>
    BilledUsd = 4,
    /// <summary>Estimated cost in US dollars.</summary>
    EstimatedUsd = 5,
    /// <summary>Audio hours.</summary>
    AudioHours = 6,
    /// <summary>Text-to-speech characters.</summary>
    TtsCharacters = 7,
    /// <summary>Failed requests.</summary>
    Errors = 8,
}

/// <summary>What a report was built from.</summary>
public enum UsageReportSource
{
    /// <summary>Request logs: every figure is available.</summary>
    Requests = 0,
    /// <summary>A usage breakdown: no cost, no log states, no hourly series (the breakdown has daily buckets at best).</summary>
    Breakdown = 1,
}
