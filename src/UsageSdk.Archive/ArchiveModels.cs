namespace UsageSdk.Archive;

/// <summary>
/// Where the sync of one project stands. The store writes it in the same transaction as each page of request logs, so
/// after a crash the next sync resumes exactly after the last committed page.
/// </summary>
/// <param name="SyncedThrough">The end of the last completed pass: every log the API kept that was created before it is in the archive (except the recorded gaps). Null before the first completed pass.</param>
/// <param name="Pass">The pass in progress, or null when none is.</param>
/// <param name="UsageSyncedThrough">The last day whose summary and breakdowns were stored (written by <see cref="IUsageArchiveStore.CommitUsageAsync"/> only).</param>
/// <param name="LastSyncAt">When the last page was committed.</param>
public sealed record ArchiveCheckpoint(DateTimeOffset? SyncedThrough, ArchivePass? Pass, DateOnly? UsageSyncedThrough, DateTimeOffset? LastSyncAt)
{
    /// <summary>The end of the last completed pass: every log the API kept that was created before it is in the archive (except the recorded gaps). Null before the first completed pass.</summary>
    public DateTimeOffset? SyncedThrough { get; } = SyncedThrough;

    /// <summary>The pass in progress, or null when none is.</summary>
    public ArchivePass? Pass { get; } = Pass;

    /// <summary>The last day whose summary and breakdowns were stored (written by <see cref="IUsageArchiveStore.CommitUsageAsync"/> only).</summary>
    public DateOnly? UsageSyncedThrough { get; } = UsageSyncedThrough;

    /// <summary>When the last page was committed.</summary>
    public DateTimeOffset? LastSyncAt { get; } = LastSyncAt;
}

/// <summary>
/// A pass of the sync: the request logs created from <paramref name="Start"/> to <paramref name="End"/>, read newest first
/// page by page. The window is fixed when the pass starts, so the pager's continuation token stays valid across processes.
/// </summary>
/// <param name="Start">The earliest creation time read (the previous pass's end minus the trailing window).</param>
/// <param name="End">The latest creation time read (the time the pass started, rounded up to a whole second).</param>
/// <param name="ContinuationToken">The pager's token of the next page to read; null before the first page.</param>
/// <param name="Pages">Pages committed so far.</param>
/// <param name="Items">Request logs committed so far.</param>
public sealed record ArchivePass(DateTimeOffset Start, DateTimeOffset End, string? ContinuationToken, long Pages, long Items)
{
    /// <summary>The earliest creation time read (the previous pass's end minus the trailing window).</summary>
    public DateTimeOffset Start { get; } = Start;

    /// <summary>The latest creation time read (the time the pass started, rounded up to a whole second).</summary>
    public DateTimeOffset End { get; } = End;

    /// <summary>The pager's token of the next page to read; null before the first page.</summary>
    public string? ContinuationToken { get; } = ContinuationToken;

    /// <summary>Pages committed so far.</summary>
    public long Pages { get; } = Pages;

    /// <summary>Request logs committed so far.</summary>
    public long Items { get; } = Items;
}

/// <summary>
/// A stretch of time whose request logs may be missing from the archive: the last sync ended before the oldest log the
/// server still keeps (90 days), so logs in between were deleted by the server before they could be read.
/// </summary>
/// <param name="From">The start of the stretch (the end of the last completed pass).</param>
/// <param name="To">The end of the stretch (the server's retention horizon when the gap was found).</param>
/// <param name="DetectedAt">When the sync found it.</param>
public sealed record ArchiveGap(DateTimeOffset From, DateTimeOffset To, DateTimeOffset DetectedAt)
{
    /// <summary>The start of the stretch (the end of the last completed pass).</summary>
    public DateTimeOffset From { get; } = From;

    /// <summary>The end of the stretch (the server's retention horizon when the gap was found).</summary>
    public DateTimeOffset To { get; } = To;

    /// <summary>When the sync found it.</summary>
    public DateTimeOffset DetectedAt { get; } = DetectedAt;
}

/// <summary>What an archive holds for one project.</summary>
/// <param name="Requests">Request logs stored.</param>
/// <param name="Oldest">The creation time of the oldest stored log.</param>
/// <param name="Newest">The creation time of the newest stored log.</param>
/// <param name="Unsettled">Stored logs that had no recorded response when last synced (state pending, unknown or lost).</param>
/// <param name="SummaryDays">Days with a stored usage summary.</param>
/// <param name="Checkpoint">The sync position, or null when the project was never synced.</param>
/// <param name="Gaps">Recorded gaps, oldest first.</param>
public sealed record ArchiveStatistics(long Requests, DateTimeOffset? Oldest, DateTimeOffset? Newest, long Unsettled, long SummaryDays, ArchiveCheckpoint? Checkpoint, IReadOnlyList<ArchiveGap> Gaps)
{
    /// <summary>Request logs stored.</summary>
    public long Requests { get; } = Requests;

    /// <summary>The creation time of the oldest stored log.</summary>
    public DateTimeOffset? Oldest { get; } = Oldest;

    /// <summary>The creation time of the newest stored log.</summary>
    public DateTimeOffset? Newest { get; } = Newest;

    /// <summary>Stored logs that had no recorded response when last synced (state pending, unknown or lost).</summary>
    public long Unsettled { get; } = Unsettled;

    /// <summary>Days with a stored usage summary.</summary>
    public long SummaryDays { get; } = SummaryDays;

    /// <summary>The sync position, or null when the project was never synced.</summary>
    public ArchiveCheckpoint? Checkpoint { get; } = Checkpoint;

    /// <summary>Recorded gaps, oldest first.</summary>
    public IReadOnlyList<ArchiveGap> Gaps { get; } = Gaps;
}

/// <summary>Progress of <see cref="UsageArchive.SyncAsync"/>, reported after each committed page.</summary>
/// <param name="Pages">Pages committed in this run.</param>
/// <param name="Items">Request logs committed in this run.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Pass">The pass being read (its token names the next page).</param>
/// <param name="Position">The creation time of the oldest log committed so far: a pass reads from its end back to its start, so <c>(End - Position) / (End - Start)</c> is the share done.</param>
public readonly record struct ArchiveSyncProgress(long Pages, long Items, TimeSpan Elapsed, ArchivePass Pass, DateTimeOffset? Position)
{
    /// <summary>Pages committed in this run.</summary>
    public long Pages { get; } = Pages;

    /// <summary>Request logs committed in this run.</summary>
    public long Items { get; } = Items;

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed { get; } = Elapsed;

    /// <summary>The pass being read (its token names the next page).</summary>
    public ArchivePass Pass { get; } = Pass;

    /// <summary>The creation time of the oldest log committed so far: a pass reads from its end back to its start, so <c>(End - Position) / (End - Start)</c> is the share done.</summary>
    public DateTimeOffset? Position { get; } = Position;

    /// <summary>The share of the pass's window done, from 0 to 1 (by time, not by count).</summary>
    public double Fraction => Pass.End <= Pass.Start ? 1 : Pass.ContinuationToken is null ? 1
        : Position is { } p ? Math.Clamp((Pass.End - p) / (Pass.End - Pass.Start), 0, 1) : 0;
}

/// <summary>What one <see cref="UsageArchive.SyncAsync"/> run did.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Start">The start of the window read.</param>
/// <param name="End">The end of the window read.</param>
/// <param name="Resumed">True when the run continued a pass an earlier run had left unfinished.</param>
/// <param name="Pages">Pages committed in this run.</param>
/// <param name="Items">Request logs written in this run (new or updated in place).</param>
/// <param name="Added">Request logs that were not in the archive before this run.</param>
/// <param name="Skipped">Items without a request id, which cannot be archived.</param>
/// <param name="Gap">The gap recorded by this run, if the last sync was older than the server keeps.</param>
/// <param name="UsageDays">Days of usage summary and breakdowns stored in this run (0 when turned off).</param>
/// <param name="Elapsed">How long the run took.</param>
public sealed record ArchiveSyncResult(string ProjectId, DateTimeOffset Start, DateTimeOffset End, bool Resumed, long Pages, long Items, long Added, long Skipped, ArchiveGap? Gap, int UsageDays, TimeSpan Elapsed)
{
    /// <summary>The project.</summary>
    public string ProjectId { get; } = ProjectId;

    /// <summary>The start of the window read.</summary>
    public DateTimeOffset Start { get; } = Start;

    /// <summary>The end of the window read.</summary>
    public DateTimeOffset End { get; } = End;

    /// <summary>True when the run continued a pass an earlier run had left unfinished.</summary>
    public bool Resumed { get; } = Resumed;

    /// <summary>Pages committed in this run.</summary>
    public long Pages { get; } = Pages;

    /// <summary>Request logs written in this run (new or updated in place).</summary>
    public long Items { get; } = Items;

    /// <summary>Request logs that were not in the archive before this run.</summary>
    public long Added { get; } = Added;

    /// <summary>Items without a request id, which cannot be archived.</summary>
    public long Skipped { get; } = Skipped;

    /// <summary>The gap recorded by this run, if the last sync was older than the server keeps.</summary>
    public ArchiveGap? Gap { get; } = Gap;

    /// <summary>Days of usage summary and breakdowns stored in this run (0 when turned off).</summary>
    public int UsageDays { get; } = UsageDays;

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; } = Elapsed;


    /// <summary>Request logs that were already archived and were written again (settled, late cost, or unchanged).</summary>
    public long Updated => Math.Max(0, Items - Added);
}

/// <summary>The usage breakdown of one grouping, as handed to <see cref="IUsageArchiveStore.CommitUsageAsync"/>.</summary>
/// <param name="Grouping">The grouping.</param>
/// <param name="Breakdown">The API's answer.</param>
public sealed record ArchivedBreakdown(UsageGrouping Grouping, UsageBreakdown Breakdown)
{
    /// <summary>The grouping.</summary>
    public UsageGrouping Grouping { get; } = Grouping;

    /// <summary>The API's answer.</summary>
    public UsageBreakdown Breakdown { get; } = Breakdown;
}
