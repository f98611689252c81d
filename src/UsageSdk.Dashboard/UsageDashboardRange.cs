namespace UsageSdk.Dashboard;

/// <summary>The date-range presets of the dashboard (URL parameter <c>range</c>). Days are UTC days.</summary>
public enum UsageDashboardRange
{
    /// <summary>Today, from 00:00 UTC (<c>range=today</c>).</summary>
    Today,

    /// <summary>The last 7 days, today included (<c>range=7d</c>).</summary>
    Last7Days,

    /// <summary>The last 30 days, today included (<c>range=30d</c>).</summary>
    Last30Days,

    /// <summary>This calendar month (<c>range=month</c>).</summary>
    ThisMonth,

    /// <summary>The last calendar month (<c>range=lastmonth</c>).</summary>
    LastMonth,

    /// <summary>The days given by <c>from</c> and <c>to</c> (<c>range=custom&amp;from=2025-01-01&amp;to=2025-01-31</c>, both included).</summary>
    Custom,
}
