namespace UsageSdk.Archive;

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
