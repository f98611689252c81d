using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>The answer of <c>GET /v1/projects/{project_id}/usage</c>: usage per time bucket. It carries no cost.</summary>
public sealed class UsageSummary
{
    [JsonConstructor]
    internal UsageSummary() { }

    /// <summary>First day covered.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? Start { get; internal set; }

    /// <summary>Last day covered.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? End { get; internal set; }

    /// <summary>The size of each bucket.</summary>
    [JsonInclude] public UsageResolution? Resolution { get; internal set; }

    /// <summary>One entry per bucket (empty when the API leaves <c>results</c> out, as the vendor spec does).</summary>
    [JsonInclude] public IReadOnlyList<UsageSummaryResult> Results { get => _results ?? []; internal set => _results = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<UsageSummaryResult>? _results;

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
