namespace UsageSdk.Archive;

/// <summary>How far an export has got: reported after each page (or each 1000 items of a stream without pages), and returned at the end.</summary>
/// <param name="Pages">Pages read so far (0 when the source has no pages).</param>
/// <param name="Items">Items written so far.</param>
/// <param name="Elapsed">Time since the export started.</param>
public readonly record struct ExportProgress(long Pages, long Items, TimeSpan Elapsed)
{
    /// <summary>Pages read so far (0 when the source has no pages).</summary>
    public long Pages { get; } = Pages;

    /// <summary>Items written so far.</summary>
    public long Items { get; } = Items;

    /// <summary>Time since the export started.</summary>
    public TimeSpan Elapsed { get; } = Elapsed;
}
