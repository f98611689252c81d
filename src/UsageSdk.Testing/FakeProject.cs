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
