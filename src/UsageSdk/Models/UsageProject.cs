using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// A project the API key can read (an item of <c>GET /v1/projects</c>, or the body of <c>GET /v1/projects/{project_id}</c>).
/// Members this version does not model (<c>mip_opt_out</c>, <c>company</c>) are kept in <see cref="AdditionalProperties"/>.
/// </summary>
public sealed class UsageProject
{
    [JsonConstructor]
    internal UsageProject() { }

    /// <summary>The project id (a UUID), the value every other call takes as <c>projectId</c>.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? ProjectId { get; internal set; }

    /// <summary>The project's name.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Name { get; internal set; }

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Returns the name and id.</summary>
    public override string ToString() => $"UsageProject {Name} ({ProjectId})";
}
