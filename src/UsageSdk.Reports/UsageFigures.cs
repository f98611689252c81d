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
        AudioMicros = a.AudioMicros;
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

    /// <summary>Audio in whole microseconds, as the sums add it.</summary>
    internal long AudioMicros { get; }

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
