namespace UsageSdk.Reports;

/// <summary>The robust norm of one metric over the hours of a report, against which spikes are found.</summary>
public sealed class UsageSpikeBaseline
{
    internal UsageSpikeBaseline(UsageReportMetric metric, decimal median, decimal mad, decimal scale, decimal threshold, int hours)
    {
        Metric = metric;
        Median = median;
        Mad = mad;
        Scale = scale;
        Threshold = threshold;
        Hours = hours;
    }

    /// <summary>The metric.</summary>
    public UsageReportMetric Metric { get; }

    /// <summary>The median over every hour of the period (empty hours count as 0).</summary>
    public decimal Median { get; }

    /// <summary>The upper median absolute deviation: the median of <c>value − median</c> over the hours at or above <see cref="Median"/> (unscaled).</summary>
    public decimal Mad { get; }

    /// <summary>σ̂: 1.4826 × <see cref="Mad"/>, or 1.2533 × the mean upper deviation when the MAD is 0.</summary>
    public decimal Scale { get; }

    /// <summary><see cref="Median"/> + k × <see cref="Scale"/>; hours strictly above it are spikes (none when <see cref="Scale"/> is 0).</summary>
    public decimal Threshold { get; }

    /// <summary>How many hours the statistics cover.</summary>
    public int Hours { get; }
}
