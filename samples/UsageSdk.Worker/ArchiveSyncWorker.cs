using Microsoft.Extensions.Options;
using UsageSdk.Archive;
using UsageSdk.Archive.PostgreSql;

namespace UsageSdk.Worker;

/// <summary>
/// Syncs the archive of every configured project every <see cref="ArchiveWorkerOptions.Interval"/>, logs what each sync
/// did, and publishes the usage of the last <see cref="ArchiveWorkerOptions.MetricsWindow"/> as metrics. A failed sync
/// keeps what it committed and the next cycle resumes it; stopping the host cancels the current sync after its page.
/// </summary>
public sealed partial class ArchiveSyncWorker(
    IUsageClientFactory clients,
    IOptions<ArchiveWorkerOptions> options,
    UsageMetrics metrics,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ArchiveSyncWorker> logger) : BackgroundService
{
    /// <summary>Cycles completed (for tests and health checks).</summary>
    public int Cycles { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Projects.Count == 0)
        {
            LogNoProjects(logger);
            lifetime.StopApplication();
            return;
        }
        LogStarting(logger, o.Projects.Count, o.Database.Contains("://", StringComparison.Ordinal) || o.Database.Contains('=', StringComparison.Ordinal) ? "PostgreSQL" : o.Database, o.Interval, o.Demo);
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

    private async Task RunCycleAsync(ArchiveWorkerOptions o, CancellationToken cancellationToken)
    {
        foreach (var project in o.Projects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // A client per unit of work (IUsageClientFactory), so handlers rotate as IHttpClientFactory intends.
                var client = clients.CreateClient("");
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
                var report = await archive.GetReportAsync(project, new RequestsQuery().Between(now - o.MetricsWindow, now), cancellationToken: cancellationToken).ConfigureAwait(false);
                metrics.Publish(project, report);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "No projects to archive: set Archive:Projects in appsettings.json (or run with --demo). Stopping.")]
    private static partial void LogNoProjects(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Archiving {Projects} project(s) into {Database} every {Interval} (demo: {Demo})")]
    private static partial void LogStarting(ILogger logger, int projects, string database, TimeSpan interval, bool demo);

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
