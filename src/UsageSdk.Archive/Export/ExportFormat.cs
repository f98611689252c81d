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
