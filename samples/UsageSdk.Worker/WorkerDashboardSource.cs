using UsageSdk.Archive;
using UsageSdk.Dashboard;

namespace UsageSdk.Worker;

/// <summary>
/// The dashboard's source in the worker: the archive (<see cref="UsageArchiveDashboardSource"/>) for the figures, and
/// the projects the worker archives (<see cref="WorkerProjects"/>, with their names) for the project list, so a project
/// that <see cref="ArchiveWorkerOptions.AllProjects"/> finds shows up once it is synced. Before the first cycle it offers
/// the configured projects and those already in the archive.
/// </summary>
internal sealed class WorkerDashboardSource(UsageArchive archive, WorkerProjects projects, IReadOnlyList<string> configured) : IUsageDashboardSource
{
    private readonly UsageArchiveDashboardSource _archive = new(archive, [new UsageDashboardProject("worker")]); // its own list is not used

    public string Description => _archive.Description;

    public async Task<IReadOnlyList<UsageDashboardProject>> GetProjectsAsync(CancellationToken cancellationToken = default)
    {
        var current = projects.Current;
        if (current.Count > 0)
        {
            return current.Select(p => new UsageDashboardProject(p.ProjectId, p.Name)).ToList();
        }
        var archived = await archive.GetProjectIdsAsync(cancellationToken).ConfigureAwait(false);
        return configured.Concat(archived).Distinct(StringComparer.OrdinalIgnoreCase).Select(p => new UsageDashboardProject(p)).ToList();
    }

    public Task<UsageDashboardData> LoadAsync(UsageDashboardQuery query, CancellationToken cancellationToken = default)
        => _archive.LoadAsync(query, cancellationToken);
}
