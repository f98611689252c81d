namespace UsageSdk.Reports;

/// <summary>The figures of one UTC time bucket (an hour or a day).</summary>
public sealed class UsageTimeBucket
{
    internal UsageTimeBucket(DateTimeOffset start, DateTimeOffset end, UsageFigures figures)
    {
        Start = start;
        End = end;
        Figures = figures;
    }

    /// <summary>Start of the bucket (inclusive, UTC).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>End of the bucket (exclusive, UTC).</summary>
    public DateTimeOffset End { get; }

    /// <summary>The bucket's figures.</summary>
    public UsageFigures Figures { get; }

    /// <summary>The start and request count.</summary>
    public override string ToString() => FormattableString.Invariant($"{Start:yyyy-MM-dd HH:mm}Z: {Figures.Requests} requests");
}
