namespace UsageSdk.Archive;

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
