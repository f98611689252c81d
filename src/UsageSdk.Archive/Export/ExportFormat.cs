namespace UsageSdk.Archive;

/// <summary>The file formats of <see cref="UsageExport"/>.</summary>
public enum ExportFormat
{
    /// <summary>
    /// Comma-separated values (RFC 4180): a header row, one row per item, invariant culture, ISO-8601 UTC times, CRLF
    /// line ends, UTF-8 without a byte-order mark. Multi-valued fields are joined with <see cref="UsageExport.ListSeparator"/>.
    /// </summary>
    Csv = 0,

    /// <summary>JSON Lines: one object per line in the API's own shape (snake_case, as <see cref="UsageJson"/> writes it), UTF-8, LF line ends.</summary>
    Jsonl = 1,
}

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
