using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// The answer of <c>GET /v1/projects/{project_id}/billing/breakdown</c>: what the project was billed, per day (the
/// <see cref="Resolution"/>), or per day and group with <see cref="BillingQuery.GroupBy"/>. This is the API's only
/// aggregated cost, the figure invoices use; request logs' <c>usd</c> is per request, kept 90 days and empty for
/// contract projects.
/// </summary>
public sealed class BillingBreakdown
{
    [JsonConstructor]
    internal BillingBreakdown() { }

    /// <summary>First day covered.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? Start { get; internal set; }

    /// <summary>Last day covered.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? End { get; internal set; }

    /// <summary>The size of each time bucket (1 day in every example).</summary>
    [JsonInclude] public UsageResolution? Resolution { get; internal set; }

    /// <summary>One entry per time bucket and group.</summary>
    [JsonInclude] public IReadOnlyList<BillingResult> Results { get => _results ?? []; internal set => _results = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<BillingResult>? _results;

    /// <summary>The sum of <see cref="BillingResult.Dollars"/> over <see cref="Results"/>.</summary>
    [JsonIgnore] public decimal TotalDollars => Results.Sum(r => r.Dollars);

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
