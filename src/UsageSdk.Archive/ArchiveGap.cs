namespace UsageSdk.Archive;

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
