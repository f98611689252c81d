namespace UsageSdk.Archive;

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
