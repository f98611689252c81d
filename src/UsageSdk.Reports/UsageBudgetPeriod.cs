namespace UsageSdk.Reports;

/// <summary>The period a <see cref="UsageBudget"/> limits.</summary>
public enum UsageBudgetPeriod
{
    /// <summary>Each UTC day separately.</summary>
    Day = 0,
    /// <summary>The whole period of the report.</summary>
    Report = 1,
}
