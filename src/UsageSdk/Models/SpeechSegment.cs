using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>One synthesised segment of a speak request.</summary>
public sealed class SpeechSegment
{
    [JsonConstructor]
    internal SpeechSegment() { }

    /// <summary>Characters in the segment.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Characters { get; internal set; }

    /// <summary>The voice model.</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Model { get; internal set; }

    /// <summary>The pricing tier.</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Tier { get; internal set; }
}
