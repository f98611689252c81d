namespace UsageSdk.Reports;

/// <summary>
/// A spending or token limit whose breaches a <see cref="UsageReport"/> lists: per UTC day or over the whole report,
/// for the project, for each API key, or for one API key. Cost is the billed <c>usd</c>; the estimate counts only
/// when <see cref="IncludeEstimatedUsd"/> is true (and the breach then says so).
/// </summary>
public sealed class UsageBudget
{
    /// <summary>A name shown with its breaches (for example <c>daily cap</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The most US dollars allowed in the period; null for no cost limit.</summary>
    public decimal? MaxUsd { get; init; }

    /// <summary>The most tokens (in + out) allowed in the period; null for no token limit.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Per day (default) or over the whole report.</summary>
    public UsageBudgetPeriod Period { get; init; } = UsageBudgetPeriod.Day;

    /// <summary>When true, the limit applies to each API key separately; otherwise to the whole project.</summary>
    public bool PerApiKey { get; init; }

    /// <summary>When set, the limit applies to this API key only (its api_key_id, or accessor when the request has no api_key_id).</summary>
    public string? ApiKey { get; init; }

    /// <summary>When true, the estimated cost (from the price table) is added to the billed cost for this check. Default false.</summary>
    public bool IncludeEstimatedUsd { get; init; }

    /// <summary>Describes the budget, for example <c>daily cap: usd ≤ 10 per day per API key</c>.</summary>
    public override string ToString()
    {
        var limits = new List<string>(2);
        if (MaxUsd is { } u)
        {
            limits.Add(FormattableString.Invariant($"${u}{(IncludeEstimatedUsd ? " (billed + estimated)" : "")}"));
        }
        if (MaxTokens is { } t)
        {
            limits.Add(FormattableString.Invariant($"{t:N0} tokens"));
        }
        var scope = ApiKey is not null ? $" for key {ApiKey}" : PerApiKey ? " per API key" : "";
        var period = Period == UsageBudgetPeriod.Day ? " per day" : " over the report";
        return $"{(Name is null ? "" : Name + ": ")}{string.Join(" or ", limits)}{period}{scope}";
    }

    internal bool AppliesPerKey => PerApiKey || ApiKey is not null;

    internal void Validate()
    {
        if (MaxUsd is null && MaxTokens is null)
        {
            throw new ArgumentException("A budget needs MaxUsd or MaxTokens (or both).", nameof(UsageReportOptions.Budgets));
        }
        if (MaxUsd < 0 || MaxTokens < 0)
        {
            throw new ArgumentException("A budget's MaxUsd and MaxTokens must be zero or more.", nameof(UsageReportOptions.Budgets));
        }
        if (!Enum.IsDefined(Period))
        {
            throw new ArgumentException($"Unknown budget period {(int)Period}.", nameof(UsageReportOptions.Budgets));
        }
    }
}
