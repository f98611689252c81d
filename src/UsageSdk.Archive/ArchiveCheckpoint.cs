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
