namespace UsageSdk.Reports;

/// <summary>The figures of one group of a report (one API key, model, tag, method, endpoint or deployment).</summary>
public sealed class UsageReportGroup
{
    internal UsageReportGroup(UsageReportDimension dimension, string? key, string name, UsageFigures figures, decimal unsplitUsd = 0, decimal? suppliedUsd = null)
    {
        Dimension = dimension;
        Key = key;
        Name = name;
        Figures = figures;
        UnsplitUsd = unsplitUsd;
        SuppliedUsd = suppliedUsd;
    }

    /// <summary>What the report is grouped by.</summary>
    public UsageReportDimension Dimension { get; }

    /// <summary>The group's value as the API sends it (an api_key_id, a model UUID, a tag, …); null for the requests that have none.</summary>
    public string? Key { get; }

    /// <summary>
    /// A display name: the model's or key's name when known (<see cref="UsageReportOptions.Names"/>), else the key,
    /// else <c>(none)</c>.
    /// </summary>
    public string Name { get; }

    /// <summary>The group's figures.</summary>
    public UsageFigures Figures { get; }

    /// <summary>
    /// For a model row: the part of <see cref="UsageFigures.BilledUsd"/> that is the whole <c>usd</c> of requests with
    /// several models whose cost could not be split among them (no price table, or none of their parts priced). That
    /// amount is also counted in the rows of the request's other models (see <see cref="UsageReport.UnsplitModelUsd"/>).
    /// 0 for every other row.
    /// </summary>
    public decimal UnsplitUsd { get; }

    /// <summary>
    /// For a model row: its cost from <see cref="UsageReportOptions.ModelCosts"/> (for example billing line items),
    /// when one was given; null otherwise. Never part of <see cref="UsageFigures.BilledUsd"/>.
    /// </summary>
    public decimal? SuppliedUsd { get; }

    /// <summary>The dimension, name and request count.</summary>
    public override string ToString() => $"{Dimension} {Name}: {Figures.Requests} requests";
}
