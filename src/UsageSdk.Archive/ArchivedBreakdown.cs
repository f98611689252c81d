namespace UsageSdk.Archive;

/// <summary>The usage breakdown of one grouping, as handed to <see cref="IUsageArchiveStore.CommitUsageAsync"/>.</summary>
/// <param name="Grouping">The grouping.</param>
/// <param name="Breakdown">The API's answer.</param>
public sealed record ArchivedBreakdown(UsageGrouping Grouping, UsageBreakdown Breakdown)
{
    /// <summary>The grouping.</summary>
    public UsageGrouping Grouping { get; } = Grouping;

    /// <summary>The API's answer.</summary>
    public UsageBreakdown Breakdown { get; } = Breakdown;
}
