namespace UsageSdk.Archive;

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
