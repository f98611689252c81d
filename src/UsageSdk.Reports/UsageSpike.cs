namespace UsageSdk.Reports;

/// <summary>An hour whose value of one metric stands far above the period's robust norm (see <see cref="UsageReportOptions.SpikeThreshold"/>).</summary>
public sealed class UsageSpike
{
    internal UsageSpike(DateTimeOffset hour, UsageReportMetric metric, decimal value, UsageSpikeBaseline baseline)
    {
        Hour = hour;
        Metric = metric;
        Value = value;
        Median = baseline.Median;
        Threshold = baseline.Threshold;
        Score = baseline.Scale == 0 ? 0 : (value - baseline.Median) / baseline.Scale;
    }

    /// <summary>Start of the hour (UTC).</summary>
    public DateTimeOffset Hour { get; }

    /// <summary>The metric that spiked.</summary>
    public UsageReportMetric Metric { get; }

    /// <summary>The hour's value.</summary>
    public decimal Value { get; }

    /// <summary>The median of the metric over every hour of the period.</summary>
    public decimal Median { get; }

    /// <summary>The value above which an hour is a spike.</summary>
    public decimal Threshold { get; }

    /// <summary>How many robust standard deviations (σ̂) the value is above the median.</summary>
    public decimal Score { get; }

    /// <summary>The hour, metric and value.</summary>
    public override string ToString() => FormattableString.Invariant($"{Hour:yyyy-MM-dd HH:mm}Z {Metric} {Value} > {Threshold}");
}
