using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>Token counts of one LLM or intelligence feature of a request.</summary>
public sealed class TokenDetail
{
    [JsonConstructor]
    internal TokenDetail() { }

    /// <summary>The feature (for example <c>summarization</c>).</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Feature { get; internal set; }

    /// <summary>Input tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Input { get; internal set; }

    /// <summary>Output tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Output { get; internal set; }

    /// <summary>The model that counted them.</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Model { get; internal set; }
}
