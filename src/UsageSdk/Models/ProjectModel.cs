using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// A model a project may use (an item of <c>stt</c> or <c>tts</c> in <c>GET /v1/projects/{project_id}/models</c>).
/// Members this version does not model (<c>batch</c>, <c>streaming</c>, <c>metadata</c>, …) are kept in
/// <see cref="AdditionalProperties"/>.
/// </summary>
public sealed class ProjectModel
{
    [JsonConstructor]
    internal ProjectModel() { }

    /// <summary>The model's UUID (wire <c>uuid</c>): the id request logs list in <see cref="RequestDetails.Models"/>.</summary>
    [JsonInclude, JsonPropertyName("uuid"), JsonConverter(typeof(LenientStringConverter))] public string? ModelId { get; internal set; }

    /// <summary>The model's name (for example <c>nova-3</c>; for a voice, <c>thalia</c>).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Name { get; internal set; }

    /// <summary>The name to pass as <c>model=</c> (for example <c>nova-3</c>, <c>aura-2-thalia-en</c>); it tells voices apart.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? CanonicalName { get; internal set; }

    /// <summary>The architecture (for example <c>base</c>, <c>polaris</c>, <c>aura-2</c>).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Architecture { get; internal set; }

    /// <summary>The languages (IETF tags).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Languages { get => _languages ?? []; internal set => _languages = value; }
    private IReadOnlyList<string>? _languages;

    /// <summary>The version (for example <c>2025-04-07.0</c>).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Version { get; internal set; }

    /// <summary>The name to show: <see cref="CanonicalName"/>, else <see cref="Name"/>, else <see cref="ModelId"/>.</summary>
    [JsonIgnore] public string? DisplayName => NonEmpty(CanonicalName) ?? NonEmpty(Name) ?? ModelId;

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>Returns the display name, version and id.</summary>
    public override string ToString() => $"ProjectModel {DisplayName} {Version} ({ModelId})";
}
