namespace UsageSdk.Worker;

/// <summary>One project the worker archives: its id and, when the API gave one, its name.</summary>
/// <param name="ProjectId">The project id.</param>
/// <param name="Name">The project's name, or null when unknown.</param>
public sealed record WorkerProject(string ProjectId, string? Name)
{
    /// <summary>True when the project came from <c>GET /v1/projects</c> (<see cref="ArchiveWorkerOptions.AllProjects"/>).</summary>
    public bool Listed { get; init; }

    /// <summary>How the metrics and logs name the project: its name, else its id.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? ProjectId : Name;
}

/// <summary>
/// The projects the worker archives: those of <see cref="ArchiveWorkerOptions.Projects"/>, and with
/// <see cref="ArchiveWorkerOptions.AllProjects"/> every project <c>GET /v1/projects</c> lists, resolved again at the
/// start of each cycle. The dashboard offers the same list.
/// </summary>
public sealed class WorkerProjects
{
    private readonly object _gate = new();
    private IReadOnlyList<WorkerProject> _current = [];

    /// <summary>The projects of the last cycle (empty before the first).</summary>
    public IReadOnlyList<WorkerProject> Current
    {
        get { lock (_gate) { return _current; } }
    }

    /// <summary>
    /// The projects to archive this cycle: the configured ones first (named when the list names them), then the listed
    /// ones not configured, in the API's order. When the listing fails, the projects it listed last time stand in.
    /// </summary>
    /// <param name="configured">The configured project ids.</param>
    /// <param name="listed">What <c>GET /v1/projects</c> listed this cycle, or null when it was not asked or failed.</param>
    internal IReadOnlyList<WorkerProject> Update(IEnumerable<string> configured, IReadOnlyList<UsageProject>? listed)
    {
        lock (_gate)
        {
            var known = _current.ToDictionary(p => p.ProjectId, StringComparer.OrdinalIgnoreCase);
            var fromApi = (listed ?? []).Where(p => !string.IsNullOrWhiteSpace(p.ProjectId))
                .Select(p => new WorkerProject(p.ProjectId!.Trim(), string.IsNullOrWhiteSpace(p.Name) ? null : p.Name) { Listed = true })
                .DistinctBy(p => p.ProjectId, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var names = fromApi.ToDictionary(p => p.ProjectId, p => p.Name, StringComparer.OrdinalIgnoreCase);
            var result = new List<WorkerProject>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var id in configured.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()))
            {
                if (seen.Add(id))
                {
                    result.Add(new WorkerProject(id, names.GetValueOrDefault(id) ?? known.GetValueOrDefault(id)?.Name));
                }
            }
            foreach (var p in listed is null ? _current.Where(p => p.Listed) : fromApi)
            {
                if (seen.Add(p.ProjectId))
                {
                    result.Add(p);
                }
            }
            _current = result;
            return result;
        }
    }

    /// <summary>Names a project of the current list (from <c>GET /v1/projects/{id}</c>); returns the named project.</summary>
    internal WorkerProject Name(WorkerProject project, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return project;
        }
        lock (_gate)
        {
            var named = project with { Name = name };
            _current = _current.Select(p => string.Equals(p.ProjectId, project.ProjectId, StringComparison.OrdinalIgnoreCase) ? named : p).ToList();
            return named;
        }
    }
}
