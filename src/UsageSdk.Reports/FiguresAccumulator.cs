using System.Runtime.CompilerServices;
using UsageSdk.Reports.Internal;
namespace UsageSdk.Reports;

/// <summary>What one request (or one breakdown result) contributes to every sum it belongs to; computed once.</summary>
internal readonly struct RequestFacts
{
    public long Requests { get; init; }
    public long TokensIn { get; init; }
    public long TokensOut { get; init; }
    public bool HasTokens { get; init; }
    public double AudioSeconds { get; init; }

    /// <summary><see cref="AudioSeconds"/> in whole microseconds (<see cref="Micros"/>): the sums add these, so they are exact and in no order.</summary>
    public long AudioMicros { get; init; }
    public long TtsCharacters { get; init; }
    public decimal? Usd { get; init; }
    public decimal? Estimate { get; init; }
    public RequestLogState? State { get; init; }

    /// <summary>
    /// Audio seconds as whole microseconds (the API's durations have six decimals at most), the unit every audio sum
    /// of a report adds: exact, so a report from roll-ups and one from the same logs agree to the last digit.
    /// </summary>
    public static long Micros(double seconds) => double.IsFinite(seconds) ? (long)Math.Round(seconds * 1_000_000d, MidpointRounding.AwayFromZero) : 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RequestFacts From(UsageRequest request, UsageReportOptions options)
    {
        var response = request.Response;
        var details = response?.Details;
        long tin = 0, tout = 0;
        var tokens = response?.TokenDetails ?? [];
        for (var i = 0; i < tokens.Count; i++) // not foreach: an interface enumerator would be allocated per request
        {
            tin += tokens[i].Input ?? 0;
            tout += tokens[i].Output ?? 0;
        }
        var audio = details?.TotalAudio is { } a && double.IsFinite(a) && a > 0 ? a : 0;
        var chars = response?.TtsDetails?.Characters ?? 0;
        var usd = details?.Usd;
        decimal? estimate = null;
        if ((usd is null || (usd == 0 && options.EstimateWhenUsdIsZero)) && options.Prices is { } prices)
        {
            estimate = prices.Estimate(details?.Models ?? [], new RequestParts(request), audio, options.Names);
        }
        return new RequestFacts
        {
            Requests = 1,
            TokensIn = tin,
            TokensOut = tout,
            HasTokens = tokens.Count > 0,
            AudioSeconds = audio,
            AudioMicros = Micros(audio),
            TtsCharacters = chars,
            Usd = usd,
            Estimate = estimate,
            State = request.State,
        };
    }

    public static RequestFacts From(UsageBreakdownResult result, UsageReportOptions options)
    {
        var tin = result.TokensIn ?? 0;
        var tout = result.TokensOut ?? 0;
        var audio = double.IsFinite(result.TotalHours) && result.TotalHours > 0 ? result.TotalHours * 3600d : 0;
        var chars = result.TtsCharacters ?? 0;
        decimal? estimate = null;
        if (options.Prices is { } prices && result.Grouping is { } g && g.Models.Count > 0)
        {
            estimate = prices.EstimateTotals(g.Models, tin, tout, audio, chars, options.Names);
        }
        return new RequestFacts
        {
            Requests = result.Requests ?? 0,
            TokensIn = tin,
            TokensOut = tout,
            HasTokens = false,
            AudioSeconds = audio,
            AudioMicros = Micros(audio),
            TtsCharacters = chars,
            Usd = null,
            Estimate = estimate,
            State = null,
        };
    }
}

/// <summary>Running sums of a <see cref="UsageFigures"/>; one per group and per bucket.</summary>
internal sealed class FiguresAccumulator
{
    public long Requests, TokensIn, TokensOut, RequestsWithTokens, TtsCharacters;
    public long BilledRequests, RequestsWithoutUsd, EstimatedRequests, UnpricedRequests;
    public long Pending, Unknown, Lost, Error, Success;
    /// <summary>Audio in whole microseconds: a sum of longs is exact and the same in any order (a roll-up's is a log-by-log sum's).</summary>
    public long AudioMicros;

    public double AudioSeconds => AudioMicros / 1_000_000d;
    public decimal BilledUsd, EstimatedUsd;

    /// <summary>For a model row: billed usd of requests with several models counted here in full (not split).</summary>
    public decimal UnsplitUsd;

    public FiguresAccumulator Copy() => (FiguresAccumulator)MemberwiseClone();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in RequestFacts f)
    {
        Requests += f.Requests;
        TokensIn += f.TokensIn;
        TokensOut += f.TokensOut;
        if (f.HasTokens)
        {
            RequestsWithTokens += f.Requests;
        }
        AudioMicros += f.AudioMicros;
        TtsCharacters += f.TtsCharacters;
        if (f.Usd is { } usd)
        {
            BilledUsd += usd;
            BilledRequests += f.Requests;
        }
        else
        {
            RequestsWithoutUsd += f.Requests;
        }
        if (f.Estimate is { } est)
        {
            EstimatedUsd += est;
            EstimatedRequests += f.Requests;
        }
        else if (f.Usd is null)
        {
            UnpricedRequests += f.Requests;
        }
        switch (f.State)
        {
            case RequestLogState.Pending:
                Pending += f.Requests;
                break;
            case RequestLogState.Unknown:
                Unknown += f.Requests;
                break;
            case RequestLogState.Lost:
                Lost += f.Requests;
                break;
            case RequestLogState.Error:
                Error += f.Requests;
                break;
            case RequestLogState.Success:
                Success += f.Requests;
                break;
        }
    }
}
