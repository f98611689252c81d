using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>Text-to-speech details of a speak request.</summary>
public sealed class TtsDetails
{
    [JsonConstructor]
    internal TtsDetails() { }

    /// <summary>Audio duration in seconds.</summary>
    [JsonInclude, JsonConverter(typeof(LenientNullableDoubleConverter))] public double? Duration { get; internal set; }

    /// <summary>Segments synthesised.</summary>
    [JsonInclude] public IReadOnlyList<SpeechSegment> SpeechSegments { get => _segments ?? []; internal set => _segments = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<SpeechSegment>? _segments;

    /// <summary>Characters over all segments.</summary>
    [JsonIgnore] public long Characters => SpeechSegments.Sum(s => (long)(s.Characters ?? 0));
}
