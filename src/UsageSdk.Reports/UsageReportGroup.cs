namespace UsageSdk.Reports;

/// <summary>The figures of one group of a report (one API key, model, tag, method, endpoint or deployment).</summary>
public sealed class UsageReportGroup
{
    internal UsageReportGroup(UsageReportDimension dimension, string? key, string name, UsageFigures figures)
    {
        Dimension = dimension;
        Key = key;
        Name = name;
        Figures = figures;
    }

    /// <summary>What the report is grouped by.</summary>
    public UsageReportDimension Dimension { get; }

    /// <summary>The group's value as the API sends it (an api_key_id, a model UUID, a tag, …); null for the requests that have none.</summary>
    public string? Key { get; }

    /// <summary>
    /// A display name: the model's or key's name when known (<see cref="UsageReportOptions.ModelNames"/>,
    /// <see cref="UsageReportOptions.ApiKeyNames"/>), else the key, else <c>(none)</c>.
    /// </summary>
    public string Name { get; }

    /// <summary>The group's figures.</summary>
    public UsageFigures Figures { get; }

    /// <summary>The dimension, name and request count.</summary>
    public override string ToString() => $"{Dimension} {Name}: {Figures.Requests} requests";
}
