namespace UsageSdk.Dashboard;

/// <summary>A project the dashboard can show: its id and a display name.</summary>
public sealed class UsageDashboardProject
{
    /// <summary>Creates a project entry.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="name">A display name; null or empty to show the id.</param>
    /// <exception cref="ArgumentException">The project id is empty.</exception>
    public UsageDashboardProject(string projectId, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        ProjectId = projectId.Trim();
        Name = string.IsNullOrWhiteSpace(name) ? ProjectId : name.Trim();
    }

    /// <summary>The project id.</summary>
    public string ProjectId { get; }

    /// <summary>The display name (the id when no name is known).</summary>
    public string Name { get; }

    /// <summary>The name and id.</summary>
    public override string ToString() => Name == ProjectId ? ProjectId : $"{Name} ({ProjectId})";
}
