using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

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
