using Microsoft.Extensions.Options;
using UsageSdk.Archive;
using UsageSdk.Archive.PostgreSql;
using UsageSdk.Reports;

namespace UsageSdk.Worker;

/// <summary>
/// Syncs the archive of every configured project (with <see cref="ArchiveWorkerOptions.AllProjects"/>, of every project
/// the key can read) every <see cref="ArchiveWorkerOptions.Interval"/>, logs what each sync did, and publishes the usage
/// of the last <see cref="ArchiveWorkerOptions.MetricsWindow"/> as metrics, with the names of keys and models
/// (<see cref="WorkerNames"/>). A failed sync keeps what it committed and the next cycle resumes it; stopping the host
/// cancels the current sync after its page.
/// </summary>
public sealed partial class ArchiveSyncWorker(
    IUsageClientFactory clients,
    IOptions<ArchiveWorkerOptions> options,
    UsageMetrics metrics,
    WorkerProjects projects,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ArchiveSyncWorker> logger) : BackgroundService
{
    private readonly HashSet<string> _namingTried = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _namesMissing = new(StringComparer.Ordinal);
    private UsageNames? _fileNames;

    /// <summary>Cycles completed (for tests and health checks).</summary>
    public int Cycles { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Projects.Count == 0 && !o.AllProjects)
        {
            LogNoProjects(logger);
            lifetime.StopApplication();
            return;
        }
        if (!string.IsNullOrWhiteSpace(o.Names))
        {
            try
            {
                _fileNames = UsageNames.Load(o.Names);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                LogBadNames(logger, o.Names, e.Message);
                lifetime.StopApplication();
                return;
            }
        }
        LogStarting(logger, o.AllProjects ? "every project the key can read" + (o.Projects.Count > 0 ? $" and {o.Projects.Count} configured" : "") : $"{o.Projects.Count} project(s)", o.Database.Contains("://", StringComparison.Ordinal) || o.Database.Contains('=', StringComparison.Ordinal) ? "PostgreSQL" : o.Database, o.Interval, o.Demo);
        using var timer = new PeriodicTimer(o.Interval, time);
        try
        {
            do
            {
                await RunCycleAsync(o, stoppingToken).ConfigureAwait(false);
                Cycles++;
                if (o.RunOnce)
                {
                    lifetime.StopApplication();
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogStopped(logger);
        }
    }

    private async Task<IReadOnlyList<WorkerProject>> ResolveProjectsAsync(ArchiveWorkerOptions o, CancellationToken cancellationToken)
    {
        IReadOnlyList<UsageProject>? listed = null;
        if (o.AllProjects)
        {
            try
            {
                listed = await clients.CreateClient("").GetProjectsAsync(cancellationToken).ConfigureAwait(false);
                if (listed.Count == 0)
                {
                    LogNoProjectListed(logger);
                }
            }
            catch (UsageApiException e)
            {
                LogListFailed(logger, e.Status, e.Message);
            }
        }
        return projects.Update(o.Projects, listed);
    }

    /// <summary>A configured project gets its name once (GET /v1/projects/{id}); listed projects come with theirs.</summary>
    private async Task<WorkerProject> NameAsync(UsageClient client, WorkerProject project, CancellationToken cancellationToken)
    {
        if (project.Name is not null || !_namingTried.Add(project.ProjectId))
        {
            return project;
        }
        try
        {
            return projects.Name(project, (await client.GetProjectAsync(project.ProjectId, cancellationToken).ConfigureAwait(false)).Name);
        }
        catch (UsageApiException)
        {
            return project; // the id stands in
        }
    }

    private async Task RunCycleAsync(ArchiveWorkerOptions o, CancellationToken cancellationToken)
    {
        foreach (var listed in await ResolveProjectsAsync(o, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var project = listed.ProjectId;
            try
            {
                // A client per unit of work (IUsageClientFactory), so handlers rotate as IHttpClientFactory intends.
                var client = clients.CreateClient("");
                var named = await NameAsync(client, listed, cancellationToken).ConfigureAwait(false);
                await using var archive = PostgresArchive.Open(o.Database, client, new UsageArchiveOptions
                {
                    TrailingWindow = o.TrailingWindow,
                    SyncUsage = o.SyncUsage,
                    TimeProvider = time,
                });
                var r = await archive.SyncAsync(project, cancellationToken: cancellationToken).ConfigureAwait(false);
                metrics.RecordSync(r);
                LogSynced(logger, project, r.Items, r.Added, r.Updated, r.Pages, r.Start, r.End, r.Resumed, r.UsageDays, r.Elapsed.TotalSeconds);
                if (r.Gap is { } gap)
                {
                    LogGap(logger, project, gap.From, gap.To);
                }
                var now = time.GetUtcNow();
                var start = now - o.MetricsWindow;
                var names = await WorkerNames.FetchAsync(client, project, start, now, _fileNames, (what, status) =>
                {
                    if (_namesMissing.Add($"{project} {what} {status}"))
                    {
                        LogNamesMissing(logger, project, what, status);
                    }
                }, cancellationToken).ConfigureAwait(false);
                var reportOptions = new UsageReportOptions { Start = start, End = now, Names = names };
                var report = await archive.GetReportAsync(project, new RequestsQuery().Between(start, now), reportOptions, cancellationToken).ConfigureAwait(false);
                metrics.Publish(named, report);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (UsageApiException e)
            {
                metrics.RecordFailure(project);
                LogApiFailure(logger, project, e.Status, e.Message);
            }
            catch (Exception e)
            {
                metrics.RecordFailure(project);
                LogFailure(logger, e, project);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "No projects to archive: set Archive:Projects in appsettings.json, or Archive:AllProjects (--all-projects) for every project the key can read (or run with --demo). Stopping.")]
    private static partial void LogNoProjects(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The names file {Path} cannot be used: {Message} Stopping.")]
    private static partial void LogBadNames(ILogger logger, string path, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Archiving {Projects} into {Database} every {Interval} (demo: {Demo})")]
    private static partial void LogStarting(ILogger logger, string projects, string database, TimeSpan interval, bool demo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GET /v1/projects listed no project: with Archive:AllProjects only the configured projects are archived")]
    private static partial void LogNoProjectListed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the projects failed (HTTP {Status}); this cycle archives the configured projects and those listed last time: {Message}")]
    private static partial void LogListFailed(ILogger logger, int status, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "The metrics of {Project} carry ids for the {What}: the API key may not read them (HTTP {Status}); a names file (Archive:Names) can name them")]
    private static partial void LogNamesMissing(ILogger logger, string project, string what, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced {Project}: {Items} request logs ({Added} new, {Updated} updated in place) in {Pages} page(s), window {Start:O} to {End:O} (resumed: {Resumed}), {UsageDays} usage day(s), {Seconds:0.0} s")]
    private static partial void LogSynced(ILogger logger, string project, long items, long added, long updated, long pages, DateTimeOffset start, DateTimeOffset end, bool resumed, int usageDays, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gap in the archive of {Project}: request logs from {From:O} to {To:O} were deleted by the server (90 days) before they could be read")]
    private static partial void LogGap(ILogger logger, string project, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of {Project} failed (HTTP {Status}); committed pages are kept and the next cycle resumes: {Message}")]
    private static partial void LogApiFailure(ILogger logger, string project, int status, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of {Project} failed; the next cycle resumes it")]
    private static partial void LogFailure(ILogger logger, Exception exception, string project);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped; an interrupted sync resumes at its next page on the next start")]
    private static partial void LogStopped(ILogger logger);
}
