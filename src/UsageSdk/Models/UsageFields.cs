using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>The answer of <c>GET /v1/projects/{project_id}/usage/fields</c>: what the usage can be filtered on.</summary>
public sealed class UsageFields
{
    [JsonConstructor]
    internal UsageFields() { }

    /// <summary>Tags seen.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Tags { get => _tags ?? []; internal set => _tags = value; }
    private IReadOnlyList<string>? _tags;

    /// <summary>Models seen.</summary>
    [JsonInclude] public IReadOnlyList<UsageFieldModel> Models { get => _models ?? []; internal set => _models = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<UsageFieldModel>? _models;

    /// <summary>Processing methods seen.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> ProcessingMethods { get => _methods ?? []; internal set => _methods = value; }
    private IReadOnlyList<string>? _methods;

    /// <summary>Languages seen (not in the vendor spec, but sent by the API).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Languages { get => _languages ?? []; internal set => _languages = value; }
    private IReadOnlyList<string>? _languages;

    /// <summary>Features seen.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Features { get => _features ?? []; internal set => _features = value; }
    private IReadOnlyList<string>? _features;
}
