using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>The <c>response.details</c> object: what was processed and what it cost.</summary>
public sealed class RequestDetails
{
    private IReadOnlyDictionary<string, JsonElement>? _config;

    [JsonConstructor]
    internal RequestDetails() { }

    /// <summary>The billed cost in US dollars (0 for contract projects, or before billing settles).</summary>
    [JsonInclude, JsonConverter(typeof(LenientDecimalConverter))] public decimal? Usd { get; internal set; }

    /// <summary>Processing duration in seconds.</summary>
    [JsonInclude, JsonConverter(typeof(LenientNullableDoubleConverter))] public double? Duration { get; internal set; }

    /// <summary>Audio length in seconds, summed over channels.</summary>
    [JsonInclude, JsonConverter(typeof(LenientNullableDoubleConverter))] public double? TotalAudio { get; internal set; }

    /// <summary>Audio channels.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Channels { get; internal set; }

    /// <summary>Streams.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Streams { get; internal set; }

    /// <summary>Model UUIDs used.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Models { get => _models ?? []; internal set => _models = value; }
    private IReadOnlyList<string>? _models;

    /// <summary>How the request was processed.</summary>
    [JsonInclude] public ProcessingMethod? Method { get; internal set; }

    /// <summary>The legacy pricing tier (deprecated by the API).</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Tier { get; internal set; }

    /// <summary>Tags attached to the request.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Tags { get => _tags ?? []; internal set => _tags = value; }
    private IReadOnlyList<string>? _tags;

    /// <summary>Features used.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Features { get => _features ?? []; internal set => _features = value; }
    private IReadOnlyList<string>? _features;

    /// <summary>
    /// The request's options as sent (<c>config</c>), as raw JSON values: types drift on the wire
    /// (<c>"detect_topics": "true"</c>, <c>"summarize": "v2"</c>), so read them with <see cref="GetConfigBoolean"/>,
    /// <see cref="GetConfigString"/> and <see cref="GetConfigStrings"/>. Parsed only when first read.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, JsonElement>? Config => _config ??= ConfigJson?.ToDictionary();

    [JsonInclude, JsonPropertyName("config"), JsonConverter(typeof(RawJsonConverter))]
    internal RawJson? ConfigJson { get; set; }

    /// <summary>Members of the details object that this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Reads a config option as a boolean: <c>true</c>, <c>"true"</c>, <c>1</c>, <c>"1"</c> (and the false forms); null when absent or not boolean-like.</summary>
    /// <param name="name">The option name, for example <c>diarize</c>.</param>
    public bool? GetConfigBoolean(string name) => Config is { } c && c.TryGetValue(name, out var v) ? JsonValues.AsBoolean(v) : null;

    /// <summary>Reads a config option as text: a string as is, a number or boolean as its JSON text; null when absent, null or structured.</summary>
    /// <param name="name">The option name, for example <c>summarize</c> (which may be <c>"v2"</c> or <c>true</c>).</param>
    public string? GetConfigString(string name) => Config is { } c && c.TryGetValue(name, out var v) ? JsonValues.AsString(v) : null;

    /// <summary>Reads a config option as a list of strings: an array (non-string items as text) or a single value as a one-item list.</summary>
    /// <param name="name">The option name, for example <c>keywords</c>.</param>
    public IReadOnlyList<string>? GetConfigStrings(string name) => Config is { } c && c.TryGetValue(name, out var v) ? JsonValues.AsStrings(v) : null;
}
