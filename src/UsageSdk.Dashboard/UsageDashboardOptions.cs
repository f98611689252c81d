using UsageSdk.Reports;

namespace UsageSdk.Dashboard;

/// <summary>Settings of the dashboard mounted with <c>app.MapUsageDashboard(pattern, o =&gt; …)</c>.</summary>
public sealed class UsageDashboardOptions
{
    /// <summary>The page's title (default <c>Usage</c>).</summary>
    public string Title { get; set; } = "Usage";

    /// <summary>
    /// Where the usage comes from. When null: an <see cref="IUsageDashboardSource"/> registered in the container, else
    /// the live API through the <c>AddUsageClient</c> registration named <see cref="ClientName"/>, for the
    /// <see cref="Projects"/>.
    /// </summary>
    public IUsageDashboardSource? Source { get; set; }

    /// <summary>The project ids the live API source (made when <see cref="Source"/> is null) offers.</summary>
    public IList<string> Projects { get; } = [];

    /// <summary>The <c>AddUsageClient</c> registration the live API source uses (default: the unnamed one).</summary>
    public string ClientName { get; set; } = "";

    /// <summary>
    /// The report settings: a price table to estimate cost (shown apart from billed cost), budgets, spike detection,
    /// and display names of API keys and models.
    /// </summary>
    public UsageReportOptions Report { get; } = new();

    /// <summary>The clock that says what "today" is (default: the system clock). Days are UTC days.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The range shown when the URL names none (default the last 7 days).</summary>
    public UsageDashboardRange DefaultRange { get; set; } = UsageDashboardRange.Last7Days;

    /// <summary>The longest custom range, in days (default 400). Longer ranges are refused with a message.</summary>
    public int MaxRangeDays { get; set; } = 400;

    /// <summary>
    /// The longest range drawn at an hourly resolution, in days (default 2); longer ranges are drawn per day. The
    /// requests-per-hour chart stays hourly up to 31 days, then shows the hours of the day.
    /// </summary>
    public int MaxHourlyDays { get; set; } = 2;

    /// <summary>Rows shown per table (default 50); the exports list every row.</summary>
    public int MaxTableRows { get; set; } = 50;

    internal void Validate()
    {
        if (MaxRangeDays < 1)
        {
            throw new ArgumentException($"UsageDashboardOptions.MaxRangeDays must be at least 1; got {MaxRangeDays}.", nameof(MaxRangeDays));
        }
        if (MaxHourlyDays < 1)
        {
            throw new ArgumentException($"UsageDashboardOptions.MaxHourlyDays must be at least 1; got {MaxHourlyDays}.", nameof(MaxHourlyDays));
        }
        if (MaxTableRows < 1)
        {
            throw new ArgumentException($"UsageDashboardOptions.MaxTableRows must be at least 1; got {MaxTableRows}.", nameof(MaxTableRows));
        }
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (!Enum.IsDefined(DefaultRange) || DefaultRange == UsageDashboardRange.Custom)
        {
            throw new ArgumentException($"UsageDashboardOptions.DefaultRange must be a preset (Today, Last7Days, Last30Days, ThisMonth, LastMonth); got {DefaultRange}.", nameof(DefaultRange));
        }
    }
}
