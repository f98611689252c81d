namespace UsageSdk.Testing;

/// <summary>A project of a <see cref="FakeUsageApi"/>.</summary>
public sealed class FakeProject
{
    /// <summary>Creates a project.</summary>
    /// <param name="projectId">The project id (a UUID; the API answers 404 for anything else).</param>
    /// <param name="name">A display name.</param>
    /// <param name="isContract">True for a contract project: its requests carry no <c>usd</c> (or <c>0</c>).</param>
    public FakeProject(string projectId, string name, bool isContract = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        ProjectId = projectId;
        Name = name ?? projectId;
        IsContract = isContract;
    }

    /// <summary>The project id.</summary>
    public string ProjectId { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>True for a contract project (requests without cost).</summary>
    public bool IsContract { get; }

    /// <summary>The API keys generated for this project.</summary>
    public IReadOnlyList<FakeApiKey> ApiKeys { get; internal set; } = [];

    /// <summary>Returns the name and id.</summary>
    public override string ToString() => $"{Name} ({ProjectId})";
}

/// <summary>An API key of a fake project.</summary>
public sealed class FakeApiKey
{
    internal FakeApiKey(string apiKeyId, string accessor, string name, IReadOnlyList<IReadOnlyList<string>> tagSets)
    {
        ApiKeyId = apiKeyId;
        Accessor = accessor;
        Name = name;
        TagSets = tagSets;
    }

    /// <summary>The key id (<c>api_key_id</c>).</summary>
    public string ApiKeyId { get; }

    /// <summary>The accessor (<c>accessor</c>), the value the <c>accessor</c> filter takes.</summary>
    public string Accessor { get; }

    /// <summary>A name describing what uses the key (for example <c>web-backend</c>).</summary>
    public string Name { get; }

    /// <summary>The tag combinations this key's requests carry (some have several tags).</summary>
    public IReadOnlyList<IReadOnlyList<string>> TagSets { get; }

    /// <summary>Returns the name and accessor.</summary>
    public override string ToString() => $"{Name} ({Accessor})";
}

/// <summary>A model known to a <see cref="FakeUsageApi"/> (served by <c>/usage/fields</c>).</summary>
public sealed class FakeModel
{
    internal FakeModel(string modelId, string name, string language, string version, Endpoint endpoint)
    {
        ModelId = modelId;
        Name = name;
        Language = language;
        Version = version;
        Endpoint = endpoint;
    }

    /// <summary>The model UUID, as in <c>response.details.models</c> and the <c>model</c> filter.</summary>
    public string ModelId { get; }

    /// <summary>The model name (for example <c>nova-3</c>).</summary>
    public string Name { get; }

    /// <summary>The language (an IETF tag).</summary>
    public string Language { get; }

    /// <summary>The version.</summary>
    public string Version { get; }

    /// <summary>The endpoint the model serves.</summary>
    public Endpoint Endpoint { get; }

    /// <summary>Returns the name and id.</summary>
    public override string ToString() => $"{Name} ({ModelId})";
}
