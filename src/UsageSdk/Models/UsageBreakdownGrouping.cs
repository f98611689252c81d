using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>The group key of a breakdown entry.</summary>
public sealed class UsageBreakdownGrouping
{
    [JsonConstructor]
    internal UsageBreakdownGrouping() { }

    /// <summary>First day of the bucket.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? Start { get; internal set; }

    /// <summary>Last day of the bucket.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? End { get; internal set; }

    /// <summary>The API-key accessor, when grouped by accessor.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Accessor { get; internal set; }

    /// <summary>The endpoint, when grouped by endpoint.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Endpoint { get; internal set; }

    /// <summary>The feature set, when grouped by feature set.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? FeatureSet { get; internal set; }

    /// <summary>The models (items may be null, as the API sends them), when grouped by models.</summary>
    [JsonInclude, JsonConverter(typeof(LenientNullableStringListConverter))] public IReadOnlyList<string?> Models { get => _models ?? []; internal set => _models = value; }
    private IReadOnlyList<string?>? _models;

    /// <summary>The processing method, when grouped by method.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Method { get; internal set; }

    /// <summary>The tags, when grouped by tags; null otherwise.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string>? Tags { get; internal set; }

    /// <summary>The deployment, when grouped by deployment.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Deployment { get; internal set; }
}
