namespace UsageSdk.Testing;

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
