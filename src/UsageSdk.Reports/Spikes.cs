namespace UsageSdk.Reports;

/// <summary>Finds hours far above the period's robust norm (median + k·σ̂; see <see cref="UsageReportOptions.SpikeThreshold"/>).</summary>
internal static class Spikes
{
    /// <summary>1 / Φ⁻¹(3/4): makes the MAD match a standard deviation on normal data.</summary>
    internal const decimal MadScale = 1.4826m;

    /// <summary>√(π/2): makes the mean absolute deviation match a standard deviation on normal data.</summary>
    internal const decimal MeanAdScale = 1.2533m;

    private static readonly UsageReportMetric[] Watched =
        [UsageReportMetric.Requests, UsageReportMetric.Tokens, UsageReportMetric.BilledUsd, UsageReportMetric.EstimatedUsd];

    public static (IReadOnlyList<UsageSpikeBaseline> Baselines, IReadOnlyList<UsageSpike> Spikes) Find(IReadOnlyList<UsageTimeBucket> hourly, UsageReportOptions options)
    {
        if (hourly.Count < options.SpikeMinimumHours)
        {
            return ([], []);
        }
        var baselines = new List<UsageSpikeBaseline>();
        var spikes = new List<UsageSpike>();
        var values = new decimal[hourly.Count];
        foreach (var metric in Watched)
        {
            var any = false;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = hourly[i].Figures.Get(metric);
                any |= values[i] != 0;
            }
            if (!any)
            {
                continue; // nothing to watch (for example no estimate at all)
            }
            var baseline = Baseline(metric, values, options.SpikeThreshold);
            baselines.Add(baseline);
            if (baseline.Scale == 0)
            {
                continue;
            }
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] > baseline.Threshold)
                {
                    spikes.Add(new UsageSpike(hourly[i].Start, metric, values[i], baseline));
                }
            }
        }
        spikes.Sort((a, b) => a.Hour != b.Hour ? a.Hour.CompareTo(b.Hour) : a.Metric.CompareTo(b.Metric));
        return (baselines, spikes);
    }

    internal static UsageSpikeBaseline Baseline(UsageReportMetric metric, IReadOnlyList<decimal> values, decimal k)
    {
        var median = Median(values);
        // The spread of the upper side only: usage is skewed (quiet nights, busy days, long jobs), and quiet hours
        // must neither hide a busy hour's spike nor make every ordinary busy hour look like one.
        var deviations = values.Where(v => v >= median).Select(v => v - median).ToArray();
        var mad = Median(deviations);
        decimal scale;
        if (mad > 0)
        {
            scale = MadScale * mad;
        }
        else
        {
            var meanAd = deviations.Length == 0 ? 0 : deviations.Sum() / deviations.Length;
            scale = MeanAdScale * meanAd;
        }
        return new UsageSpikeBaseline(metric, median, mad, scale, median + k * scale, values.Count);
    }

    internal static decimal Median(IReadOnlyList<decimal> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2m;
    }
}

/// <summary>Checks budgets against the daily series and the API-key groups.</summary>
internal static class Budgets
{
    public static IReadOnlyList<UsageBudgetBreach> Check(
        IList<UsageBudget> budgets, IReadOnlyList<UsageTimeBucket> daily, IReadOnlyList<UsageReportGroup> keys,
        Dictionary<(string? Key, long Day), FiguresAccumulator>? keyDays)
    {
        var breaches = new List<UsageBudgetBreach>();
        foreach (var budget in budgets)
        {
            if (!budget.AppliesPerKey)
            {
                if (budget.Period == UsageBudgetPeriod.Day)
                {
                    foreach (var d in daily)
                    {
                        Compare(budget, DateOnly.FromDateTime(d.Start.UtcDateTime), null, d.Figures.BilledUsd, d.Figures.EstimatedUsd, d.Figures.TokensTotal, breaches);
                    }
                }
                else
                {
                    var usd = daily.Sum(d => d.Figures.BilledUsd);
                    var est = daily.Sum(d => d.Figures.EstimatedUsd);
                    var tokens = daily.Sum(d => d.Figures.TokensTotal);
                    Compare(budget, null, null, usd, est, tokens, breaches);
                }
                continue;
            }
            if (budget.Period == UsageBudgetPeriod.Report)
            {
                foreach (var g in keys.OrderBy(g => g.Key is null ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal))
                {
                    if (budget.ApiKey is null || string.Equals(budget.ApiKey, g.Key, StringComparison.OrdinalIgnoreCase))
                    {
                        Compare(budget, null, g.Key, g.Figures.BilledUsd, g.Figures.EstimatedUsd, g.Figures.TokensTotal, breaches);
                    }
                }
                continue;
            }
            if (keyDays is null)
            {
                continue;
            }
            foreach (var ((key, day), acc) in keyDays.OrderBy(kv => kv.Key.Day).ThenBy(kv => kv.Key.Key is null ? 1 : 0).ThenBy(kv => kv.Key.Key, StringComparer.Ordinal))
            {
                if (budget.ApiKey is null || string.Equals(budget.ApiKey, key, StringComparison.OrdinalIgnoreCase))
                {
                    Compare(budget, DateOnly.FromDayNumber((int)day), key, acc.BilledUsd, acc.EstimatedUsd, acc.TokensIn + acc.TokensOut, breaches);
                }
            }
        }
        return breaches;
    }

    private static void Compare(UsageBudget budget, DateOnly? day, string? key, decimal billed, decimal estimated, long tokens, List<UsageBudgetBreach> breaches)
    {
        var usd = budget.IncludeEstimatedUsd ? billed + estimated : billed;
        if (budget.MaxUsd is { } maxUsd && usd > maxUsd)
        {
            breaches.Add(new UsageBudgetBreach(budget, UsageReportMetric.BilledUsd, day, key, maxUsd, usd));
        }
        if (budget.MaxTokens is { } maxTokens && tokens > maxTokens)
        {
            breaches.Add(new UsageBudgetBreach(budget, UsageReportMetric.Tokens, day, key, maxTokens, tokens));
        }
    }
}
