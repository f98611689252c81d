using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// The models a project may use (<c>GET /v1/projects/{project_id}/models</c>): speech-to-text and text-to-speech.
/// <see cref="FindName"/> turns the model UUIDs of request logs into names.
/// </summary>
public sealed class ProjectModels
{
    private Dictionary<string, ProjectModel>? _byId;

    [JsonConstructor]
    internal ProjectModels() { }

    /// <summary>Speech-to-text models (<c>stt</c>).</summary>
    [JsonInclude] public IReadOnlyList<ProjectModel> Stt { get => _stt ?? []; internal set { _stt = JsonLists.WithoutNulls(value); _byId = null; } }
    private IReadOnlyList<ProjectModel>? _stt;

    /// <summary>Text-to-speech models (<c>tts</c>).</summary>
    [JsonInclude] public IReadOnlyList<ProjectModel> Tts { get => _tts ?? []; internal set { _tts = JsonLists.WithoutNulls(value); _byId = null; } }
    private IReadOnlyList<ProjectModel>? _tts;

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The model with this UUID (case-insensitive), speech-to-text first; null when the project lists none.</summary>
    /// <param name="modelId">A model UUID, as in <see cref="RequestDetails.Models"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="modelId"/> is null.</exception>
    public ProjectModel? Find(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return ById().GetValueOrDefault(modelId.Trim());
    }

    /// <summary>
    /// The name to show for a model id: its <see cref="ProjectModel.DisplayName"/> (the canonical name, such as
    /// <c>aura-2-thalia-en</c>, else the name) when the project lists the UUID; otherwise the input unchanged, since
    /// usage breakdowns may already carry names (<c>Nova-2</c>) and an id the list lacks is best shown as it is. List
    /// with <c>includeOutdated: true</c> so older versions that request logs name are found too.
    /// </summary>
    /// <param name="modelIdOrName">A model UUID, or a name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="modelIdOrName"/> is null.</exception>
    public string FindName(string modelIdOrName)
    {
        ArgumentNullException.ThrowIfNull(modelIdOrName);
        return Find(modelIdOrName)?.DisplayName ?? modelIdOrName;
    }

    private Dictionary<string, ProjectModel> ById()
    {
        var map = Volatile.Read(ref _byId);
        if (map is not null)
        {
            return map;
        }
        map = new Dictionary<string, ProjectModel>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in Stt.Concat(Tts))
        {
            if (!string.IsNullOrWhiteSpace(m.ModelId))
            {
                map.TryAdd(m.ModelId.Trim(), m); // the first listing of an id wins
            }
        }
        Volatile.Write(ref _byId, map);
        return map;
    }

    /// <summary>Returns the model counts.</summary>
    public override string ToString() => $"ProjectModels {{ Stt = {Stt.Count}, Tts = {Tts.Count} }}";
}
