using System.Text.Json.Serialization;

namespace UsageSdk;

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
