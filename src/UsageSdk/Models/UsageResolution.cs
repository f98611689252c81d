using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

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
