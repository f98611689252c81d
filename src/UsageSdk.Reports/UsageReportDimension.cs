namespace UsageSdk.Reports;

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
