using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

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
