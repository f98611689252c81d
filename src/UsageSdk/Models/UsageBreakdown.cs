using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>The answer of <c>GET /v1/projects/{project_id}/usage/breakdown</c>.</summary>
public sealed class UsageBreakdown
{
    [JsonConstructor]
    internal UsageBreakdown() { }

    /// <summary>First day covered.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? Start { get; internal set; }

    /// <summary>Last day covered.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? End { get; internal set; }

    /// <summary>The size of each time bucket.</summary>
    [JsonInclude] public UsageResolution? Resolution { get; internal set; }

    /// <summary>One entry per time bucket and group.</summary>
    [JsonInclude] public IReadOnlyList<UsageBreakdownResult> Results { get => _results ?? []; internal set => _results = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<UsageBreakdownResult>? _results;

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
