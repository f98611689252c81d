using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

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
