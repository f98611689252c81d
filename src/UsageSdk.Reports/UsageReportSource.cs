namespace UsageSdk.Reports;

/// <summary>What a report was built from.</summary>
public enum UsageReportSource
{
    /// <summary>Request logs: every figure is available.</summary>
    Requests = 0,
    /// <summary>A usage breakdown: no cost, no log states, no hourly series (the breakdown has daily buckets at best).</summary>
    Breakdown = 1,
}
