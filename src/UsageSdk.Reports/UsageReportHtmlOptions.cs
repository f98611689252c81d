namespace UsageSdk.Reports;

/// <summary>How <see cref="UsageReportHtml"/> renders a report.</summary>
public sealed class UsageReportHtmlOptions
{
    /// <summary>The page title (default <c>Usage report</c>).</summary>
    public string Title { get; set; } = "Usage report";

    /// <summary>A line under the title, for example the project id.</summary>
    public string? Subtitle { get; set; }

    /// <summary>The most rows per group table (default 25); the rest are summed in an "other" row.</summary>
    public int MaxGroupRows { get; set; } = 25;

    /// <summary>When set, printed as the time the page was made (leave null for reproducible output).</summary>
    public DateTimeOffset? GeneratedAt { get; set; }
}
