using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Reports.Tests.Infrastructure;

/// <summary>Small fixed data sets whose figures are computed by hand in the tests.</summary>
internal static class ReportData
{
    /// <summary>Monday 2025-03-10 00:00 UTC.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 0, 0, 0, TimeSpan.Zero);

    public const string M1 = "11111111-1111-4111-8111-111111111111";
    public const string M2 = "22222222-2222-4222-8222-222222222222";
    public const string M3 = "33333333-3333-4333-8333-333333333333";

    /// <summary>
    /// Six requests:
    /// r1 k1 10:15 listen sync m1, usd 0.50, 1800 s audio, tags prod + team:a, tokens (100/20) + (50/5), success;
    /// r2 k1 10:40 read sync m2, no usd, tags prod, tokens 1000/300, success;
    /// r3 accessor-only k2 11:05 speak streaming m3, usd 0.25, no tags, TTS 300 + 200 characters, success;
    /// r4 k2 11:30 listen, code 500 with a message (error, no details);
    /// r5 k1 12:00 listen, no response yet (pending);
    /// r6 no key, next day 03:00, /v2/agent/converse streaming, no model, usd 1.25, 3600 s audio, tags team:a twice, no deployment.
    /// </summary>
    public static List<UsageRequest> SixRequests()
    {
        var hosted = Deployment.Hosted;
        return
        [
            F.UsageRequest("r1", "p", T0.AddHours(10).AddMinutes(15), "/v1/listen?model=nova-3", "k1", "acc-k1", hosted, 200,
                F.RequestResponse(F.RequestDetails(usd: 0.50m, totalAudio: 1800, models: [M1], method: ProcessingMethod.Sync, tags: ["prod", "team:a"]), 200,
                    tokenDetails: [F.TokenDetail("summarization", 100, 20, "llm-a"), F.TokenDetail("topics", 50, 5)])),
            F.UsageRequest("r2", "p", T0.AddHours(10).AddMinutes(40), "/v1/read?summarize=v2", "k1", "acc-k1", hosted, 200,
                F.RequestResponse(F.RequestDetails(usd: null, models: [M2], method: ProcessingMethod.Sync, tags: ["prod"]), 200,
                    tokenDetails: [F.TokenDetail("summarization", 1000, 300)])),
            F.UsageRequest("r3", "p", T0.AddHours(11).AddMinutes(5), "/v1/speak?model=aura", null, "k2", hosted, 200,
                F.RequestResponse(F.RequestDetails(usd: 0.25m, models: [M3], method: ProcessingMethod.Streaming), 200,
                    ttsDetails: F.TtsDetails(33, [F.SpeechSegment(300, "aura"), F.SpeechSegment(200, "aura")]))),
            F.UsageRequest("r4", "p", T0.AddHours(11).AddMinutes(30), "/v1/listen", "k2", "k2", hosted, 500,
                F.RequestResponse(code: 500, message: "boom")),
            F.UsageRequest("r5", "p", T0.AddHours(12), "/v1/listen?x=1", "k1", "acc-k1", hosted, null, null, now: T0.AddHours(12).AddMinutes(1)),
            F.UsageRequest("r6", "p", T0.AddDays(1).AddHours(3), "/v2/agent/converse", null, null, null, 200,
                F.RequestResponse(F.RequestDetails(usd: 1.25m, totalAudio: 3600, method: ProcessingMethod.Streaming, tags: ["team:a", "team:a"]), 200)),
        ];
    }

    /// <summary>A successful request at a given time with a number of requests' worth of tokens and cost.</summary>
    public static UsageRequest At(DateTimeOffset created, long tokensIn = 0, long tokensOut = 0, decimal? usd = 0.01m, string key = "k", string? id = null)
        => F.UsageRequest(id ?? created.ToString("O"), "p", created, "/v1/listen", key, key, Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: usd, models: [M1], method: ProcessingMethod.Sync), 200,
                tokenDetails: tokensIn + tokensOut > 0 ? [F.TokenDetail("x", tokensIn, tokensOut)] : null));

    public static UsageRequest Find(this IEnumerable<UsageRequest> list, string id) => list.Single(r => r.RequestId == id);

    public static UsageReportGroup Group(this UsageReport report, UsageReportDimension dimension, string? key)
        => report.GetGroups(dimension).Single(g => g.Key == key);
}
