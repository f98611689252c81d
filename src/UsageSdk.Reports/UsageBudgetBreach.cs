namespace UsageSdk.Reports;

/// <summary>A budget limit that was exceeded.</summary>
public sealed class UsageBudgetBreach
{
    internal UsageBudgetBreach(UsageBudget budget, UsageReportMetric metric, DateOnly? day, string? apiKey, decimal limit, decimal actual)
    {
        Budget = budget;
        Metric = metric;
        Day = day;
        ApiKey = apiKey;
        Limit = limit;
        Actual = actual;
    }

    /// <summary>The budget.</summary>
    public UsageBudget Budget { get; }

    /// <summary><see cref="UsageReportMetric.BilledUsd"/> (billed, plus the estimate when <see cref="UsageBudget.IncludeEstimatedUsd"/>) or <see cref="UsageReportMetric.Tokens"/>.</summary>
    public UsageReportMetric Metric { get; }

    /// <summary>The UTC day, for a daily budget; null for a budget over the whole report.</summary>
    public DateOnly? Day { get; }

    /// <summary>The API key, for a per-key budget; null for the project.</summary>
    public string? ApiKey { get; }

    /// <summary>The limit.</summary>
    public decimal Limit { get; }

    /// <summary>The value that exceeded it.</summary>
    public decimal Actual { get; }

    /// <summary>True when <see cref="Actual"/> includes estimated cost.</summary>
    public bool IncludesEstimate => Metric == UsageReportMetric.BilledUsd && Budget.IncludeEstimatedUsd;

    /// <summary>Describes the breach.</summary>
    public override string ToString()
        => FormattableString.Invariant($"{(Day is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " " : "")}{(ApiKey is null ? "" : "key " + ApiKey + " ")}{Metric} {Actual} > {Limit}");
}
