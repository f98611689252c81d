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

/// <summary>The size of a time bucket, for example 1 day.</summary>
public sealed class UsageResolution
{
    [JsonConstructor]
    internal UsageResolution() { }

    /// <summary>The unit (for example <c>day</c>).</summary>
    [JsonInclude] public string? Units { get; internal set; }

    /// <summary>How many units per bucket.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Amount { get; internal set; }
}

/// <summary>Usage in one bucket of a <see cref="UsageSummary"/>.</summary>
public sealed class UsageSummaryResult
{
    [JsonConstructor]
    internal UsageSummaryResult() { }

    /// <summary>First day of the bucket.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? Start { get; internal set; }

    /// <summary>Last day of the bucket.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? End { get; internal set; }

    /// <summary>Billable audio hours.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDoubleConverter))] public double Hours { get; internal set; }

    /// <summary>Audio hours over all channels.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDoubleConverter))] public double TotalHours { get; internal set; }

    /// <summary>Requests.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Requests { get; internal set; }

    /// <summary>LLM tokens in and out, when the API sends them.</summary>
    [JsonInclude] public UsageTokens? Tokens { get; internal set; }

    /// <summary>Text-to-speech usage, when the API sends it.</summary>
    [JsonInclude] public UsageTts? Tts { get; internal set; }
}

/// <summary>Token counts.</summary>
public sealed class UsageTokens
{
    [JsonConstructor]
    internal UsageTokens() { }

    /// <summary>Input tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? In { get; internal set; }

    /// <summary>Output tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Out { get; internal set; }
}

/// <summary>Text-to-speech usage.</summary>
public sealed class UsageTts
{
    [JsonConstructor]
    internal UsageTts() { }

    /// <summary>Characters synthesised.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Characters { get; internal set; }

    /// <summary>Speak requests.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Requests { get; internal set; }
}

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

/// <summary>Usage of one group in one bucket. Hours may arrive as numbers or numeric strings; counts as <c>373381.0</c>.</summary>
public sealed class UsageBreakdownResult
{
    [JsonConstructor]
    internal UsageBreakdownResult() { }

    /// <summary>Billable audio hours.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDoubleConverter))] public double Hours { get; internal set; }

    /// <summary>Audio hours over all channels.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDoubleConverter))] public double TotalHours { get; internal set; }

    /// <summary>Voice-agent hours.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDoubleConverter))] public double AgentHours { get; internal set; }

    /// <summary>LLM input tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? TokensIn { get; internal set; }

    /// <summary>LLM output tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? TokensOut { get; internal set; }

    /// <summary>Characters synthesised.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? TtsCharacters { get; internal set; }

    /// <summary>Requests.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Requests { get; internal set; }

    /// <summary>What this entry is grouped by; the dimensions not grouped on are null.</summary>
    [JsonInclude] public UsageBreakdownGrouping? Grouping { get; internal set; }
}

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

/// <summary>The answer of <c>GET /v1/projects/{project_id}/usage/fields</c>: what the usage can be filtered on.</summary>
public sealed class UsageFields
{
    [JsonConstructor]
    internal UsageFields() { }

    /// <summary>Tags seen.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Tags { get => _tags ?? []; internal set => _tags = value; }
    private IReadOnlyList<string>? _tags;

    /// <summary>Models seen.</summary>
    [JsonInclude] public IReadOnlyList<UsageFieldModel> Models { get => _models ?? []; internal set => _models = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<UsageFieldModel>? _models;

    /// <summary>Processing methods seen.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> ProcessingMethods { get => _methods ?? []; internal set => _methods = value; }
    private IReadOnlyList<string>? _methods;

    /// <summary>Languages seen (not in the vendor spec, but sent by the API).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Languages { get => _languages ?? []; internal set => _languages = value; }
    private IReadOnlyList<string>? _languages;

    /// <summary>Features seen.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Features { get => _features ?? []; internal set => _features = value; }
    private IReadOnlyList<string>? _features;
}

/// <summary>A model that appears in the usage.</summary>
public sealed class UsageFieldModel
{
    [JsonConstructor]
    internal UsageFieldModel() { }

    /// <summary>The model name (for example <c>2-general-nova</c>).</summary>
    [JsonInclude] public string? Name { get; internal set; }

    /// <summary>Its language (an IETF tag).</summary>
    [JsonInclude] public string? Language { get; internal set; }

    /// <summary>Its version (for example <c>2024-05-31.13574</c>).</summary>
    [JsonInclude] public string? Version { get; internal set; }

    /// <summary>Its UUID, the value the <c>model</c> filter takes.</summary>
    [JsonInclude] public string? ModelId { get; internal set; }
}
