namespace UsageSdk.Testing;

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
