using System.Globalization;

namespace UsageSdk.Archive.Internal;

/// <summary>
/// A request log flattened to the columns the exports and the archive stores share. Computed once per item; the
/// multi-valued fields stay lists so each consumer joins or stores them its own way.
/// </summary>
internal readonly struct RequestRow
{
    public RequestRow(UsageRequest r)
    {
        Request = r;
        var details = r.Response?.Details;
        RequestId = r.RequestId ?? "";
        Created = r.Created.ToUniversalTime();
        Method = details?.Method?.ToString() is { Length: > 0 } m ? m : null;
        Endpoint = UsageSdk.Endpoint.FromPath(r.Path)?.ToString();
        Deployment = r.Deployment?.ToString() is { Length: > 0 } d ? d : null;
        Models = details?.Models ?? [];
        Tags = details?.Tags ?? [];
        Features = details?.Features ?? [];
        Duration = details?.Duration;
        TotalAudio = details?.TotalAudio;
        Channels = details?.Channels;
        Streams = details?.Streams;
        Usd = details?.Usd;
        Code = r.EffectiveCode;
        State = StateName(r.State);
        long? tokensIn = null, tokensOut = null;
        if (r.Response is { TokenDetails: { Count: > 0 } tokens })
        {
            foreach (var t in tokens)
            {
                if (t.Input is { } i)
                {
                    tokensIn = (tokensIn ?? 0) + i;
                }
                if (t.Output is { } o)
                {
                    tokensOut = (tokensOut ?? 0) + o;
                }
            }
        }
        TokensIn = tokensIn;
        TokensOut = tokensOut;
        TtsCharacters = r.Response?.TtsDetails is { SpeechSegments.Count: > 0 } tts ? tts.Characters : null;
    }

    public UsageRequest Request { get; }
    public string RequestId { get; }
    public DateTimeOffset Created { get; }
    public string? ApiKeyId => Request.ApiKeyId;
    public string? Accessor => Request.Accessor;
    public string? Path => Request.Path;
    public string? Method { get; }
    public string? Endpoint { get; }
    public string? Deployment { get; }
    public IReadOnlyList<string> Models { get; }
    public IReadOnlyList<string> Tags { get; }
    public IReadOnlyList<string> Features { get; }
    public double? Duration { get; }
    public double? TotalAudio { get; }
    public int? Channels { get; }
    public int? Streams { get; }
    public decimal? Usd { get; }
    public long? TokensIn { get; }
    public long? TokensOut { get; }
    public long? TtsCharacters { get; }
    public int? Code { get; }
    public string State { get; }


    /// <summary>The state as written in exports and archive columns: lower case (<c>success</c>, <c>pending</c>, …).</summary>
    public static string StateName(RequestLogState state) => state switch
    {
        RequestLogState.Pending => "pending",
        RequestLogState.Unknown => "unknown",
        RequestLogState.Lost => "lost",
        RequestLogState.Error => "error",
        RequestLogState.Success => "success",
        _ => ((int)state).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Formats a time as ISO-8601 UTC with up to 7 fractional digits and a <c>Z</c>.</summary>
    public static string FormatTime(DateTimeOffset t)
        => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
