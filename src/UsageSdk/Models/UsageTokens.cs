using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

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
