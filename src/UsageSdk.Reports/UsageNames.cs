using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Reports;

/// <summary>
/// Display names for API keys and models, so reports show <c>web-backend</c> and <c>nova-3</c> instead of ids. Fill it
/// from any source: the API (a key's <c>comment</c> from <c>GET /v1/projects/{id}/keys</c>, a model's <c>name</c> from
/// <c>GET /v1/projects/{id}/models</c> or <see cref="UsageClient.GetFieldsAsync"/>), your own key inventory, or a JSON
/// file (<see cref="Load"/>) of this shape:
/// <code>
/// {
///   "keys":   { "e7938768-5a4c-4b0e-9d3f-1c2b3a4d5e6f": "web-backend" },
///   "models": { "1abfe86b-e047-4eed-858a-35e5625b41ee": "nova-3" }
/// }
/// </code>
/// <c>keys</c> maps an <c>api_key_id</c> or an <c>accessor</c> to the key's name; <c>models</c> maps a model id (as
/// <see cref="RequestDetails.Models"/> carries it) to the model's name. Both members are optional; ids are compared
/// case-insensitively; an id without a name is shown as the id.
/// </summary>
public sealed class UsageNames
{
    /// <summary>Names of API keys by <c>api_key_id</c> or <c>accessor</c> (the key's <c>comment</c> in the API).</summary>
    public IDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names of models by model id (the model's <c>name</c> in the API, for example <c>nova-3</c>).</summary>
    public IDictionary<string, string> Models { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when no name is known.</summary>
    public bool IsEmpty => Keys.Count == 0 && Models.Count == 0;

    /// <summary>The name of an API key, or null when it has none.</summary>
    /// <param name="apiKeyIdOrAccessor">An <c>api_key_id</c> or <c>accessor</c>.</param>
    public string? KeyName(string? apiKeyIdOrAccessor) => Find(Keys, apiKeyIdOrAccessor);

    /// <summary>The name of a model, or null when it has none.</summary>
    /// <param name="modelId">A model id.</param>
    public string? ModelName(string? modelId) => Find(Models, modelId);

    /// <summary>
    /// Adds every name of another set, replacing names already here for the same id. A model name it replaces (the
    /// API's <c>nova-3</c> under your <c>Nova 3 (general)</c>) is still known as that model's: token details, speech
    /// segments, request paths and price tables that use it keep matching the model.
    /// </summary>
    /// <param name="other">The names to add.</param>
    public void Add(UsageNames other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (k, v) in other.Keys)
        {
            Keys[k] = v;
        }
        foreach (var (k, v) in other.Models)
        {
            if (Models.TryGetValue(k, out var old) && !string.IsNullOrEmpty(old) && !string.Equals(old, v, StringComparison.OrdinalIgnoreCase))
            {
                AddAlias(k, old);
            }
            Models[k] = v;
        }
        if (other._modelAliases is not null)
        {
            foreach (var (id, aliases) in other._modelAliases)
            {
                foreach (var alias in aliases)
                {
                    AddAlias(id, alias);
                }
            }
        }
    }

    private Dictionary<string, List<string>>? _modelAliases;

    private void AddAlias(string id, string name)
    {
        _modelAliases ??= new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (!_modelAliases.TryGetValue(id, out var list))
        {
            _modelAliases[id] = list = [];
        }
        if (!list.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            list.Add(name);
        }
    }

    /// <summary>True when <paramref name="name"/> is a name of the model <paramref name="modelId"/> (its name or one <see cref="Add"/> replaced).</summary>
    internal bool IsModelName(string? modelId, string? name)
    {
        if (string.IsNullOrEmpty(modelId) || string.IsNullOrEmpty(name))
        {
            return false;
        }
        if (string.Equals(ModelName(modelId), name, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return _modelAliases is not null && _modelAliases.TryGetValue(modelId, out var list) && list.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every name of a model: its name, then those <see cref="Add"/> replaced.</summary>
    internal IEnumerable<string> ModelNamesOf(string? modelId)
    {
        if (ModelName(modelId) is { } name)
        {
            yield return name;
        }
        if (modelId is not null && _modelAliases is not null && _modelAliases.TryGetValue(modelId, out var list))
        {
            foreach (var alias in list)
            {
                yield return alias;
            }
        }
    }

    /// <summary>Model id by each of its names (the first id of a name wins; names before replaced ones).</summary>
    internal Dictionary<string, string> ModelIdsByName()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, name) in Models)
        {
            if (!string.IsNullOrEmpty(name))
            {
                map.TryAdd(name, id);
            }
        }
        if (_modelAliases is not null)
        {
            foreach (var (id, aliases) in _modelAliases)
            {
                foreach (var alias in aliases)
                {
                    map.TryAdd(alias, id);
                }
            }
        }
        return map;
    }

    /// <summary>Returns a copy.</summary>
    public UsageNames Clone()
    {
        var copy = new UsageNames();
        copy.Add(this);
        return copy;
    }

    /// <summary>Reads names from JSON text (see the class summary for the shape; comments and trailing commas are allowed).</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not a valid names file; the message says where.</exception>
    public static UsageNames Parse(string json)
        => FromDocument(JsonFileReader.Parse(json, NamesJsonContext.Default.NamesDocument, "The names file"));

    /// <summary>Reads names from a JSON stream.</summary>
    /// <param name="utf8Json">The stream (UTF-8).</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="FormatException">The content is not a valid names file; the message says where.</exception>
    public static async Task<UsageNames> LoadAsync(Stream utf8Json, CancellationToken cancellationToken = default)
        => FromDocument(await JsonFileReader.ParseAsync(utf8Json, NamesJsonContext.Default.NamesDocument, "The names file", cancellationToken).ConfigureAwait(false));

    /// <summary>Reads names from a JSON file.</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="FormatException">The file is not a valid names file; the message names the file and the place.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static UsageNames Load(string path) => JsonFileReader.Load(path, Parse);

    /// <summary>The number of names.</summary>
    public override string ToString() => $"{Keys.Count} key names, {Models.Count} model names";

    private static string? Find(IDictionary<string, string> map, string? id)
        => !string.IsNullOrEmpty(id) && map.TryGetValue(id, out var name) && !string.IsNullOrEmpty(name) ? name : null;

    private static UsageNames FromDocument(NamesDocument? doc)
    {
        if (doc is null)
        {
            throw new FormatException("The names file is empty (null); expected {\"keys\": {…}, \"models\": {…}}.");
        }
        var names = new UsageNames();
        Copy(doc.Keys, names.Keys, "keys");
        Copy(doc.Models, names.Models, "models");
        return names;
    }

    private static void Copy(Dictionary<string, string?>? from, IDictionary<string, string> to, string member)
    {
        if (from is null)
        {
            return;
        }
        foreach (var (id, name) in from)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new FormatException($"An id in \"{member}\" is empty.");
            }
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new FormatException($"The name of '{id}' in \"{member}\" is empty.");
            }
            if (!to.TryAdd(id, name))
            {
                throw new FormatException($"'{id}' is named twice in \"{member}\" (ids are compared case-insensitively).");
            }
        }
    }
}

internal sealed class NamesDocument
{
    public Dictionary<string, string?>? Keys { get; set; }
    public Dictionary<string, string?>? Models { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(NamesDocument))]
internal sealed partial class NamesJsonContext : JsonSerializerContext;
