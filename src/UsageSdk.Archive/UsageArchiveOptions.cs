namespace UsageSdk.Archive;

/// <summary>Settings of a <see cref="UsageArchive"/>.</summary>
public sealed class UsageArchiveOptions
{
    /// <summary>How long the server keeps request logs: 90 days. A sync whose checkpoint is older records a gap.</summary>
    public static TimeSpan ServerRetention { get; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How far back each pass re-reads before the end of the previous one (default 48 hours), so requests that were
    /// pending and cost that settled late are updated in place.
    /// </summary>
    public TimeSpan TrailingWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How far back the first sync of a project reads (default and maximum: the server's 90 days).</summary>
    public TimeSpan InitialLookback { get; set; } = ServerRetention;

    /// <summary>Request logs per API call (1 to 1000, default 1000).</summary>
    public int PageSize { get; set; } = RequestsQuery.MaxPageSize;

    /// <summary>Pages kept in flight while the previous one is written (1 to 16, default 2).</summary>
    public int Prefetch { get; set; } = 2;

    /// <summary>
    /// Rows written per transaction (1 to 100,000, default 5,000): pages are committed together, with the checkpoint of the
    /// last one, once this many rows wait (and at the end, on a fault and on cancellation). Bigger batches keep the insert
    /// rate flat as the archive grows; a crash re-reads at most one batch.
    /// </summary>
    public int RowsPerCommit { get; set; } = 5_000;

    /// <summary>Also store the daily usage summary (<c>/usage</c>) and breakdowns (<c>/usage/breakdown</c>) of the days each sync covers (default true).</summary>
    public bool SyncUsage { get; set; } = true;

    /// <summary>The breakdown groupings stored per day (default: accessor, endpoint, feature set, models, method, tags, deployment). Each is one API call per sync.</summary>
    public IList<UsageGrouping> BreakdownGroupings { get; } =
    [
        UsageGrouping.Accessor, UsageGrouping.Endpoint, UsageGrouping.FeatureSet, UsageGrouping.Models,
        UsageGrouping.Method, UsageGrouping.Tags, UsageGrouping.Deployment,
    ];

    /// <summary>The clock of the sync windows and of the log states derived when reading back (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (TrailingWindow < TimeSpan.Zero || TrailingWindow > ServerRetention)
        {
            throw new ArgumentException("UsageArchiveOptions.TrailingWindow must be from 0 to 90 days.", "options");
        }
        if (InitialLookback <= TimeSpan.Zero || InitialLookback > ServerRetention)
        {
            throw new ArgumentException("UsageArchiveOptions.InitialLookback must be more than 0 and at most 90 days (the server keeps no more).", "options");
        }
        if (PageSize is < 1 or > RequestsQuery.MaxPageSize)
        {
            throw new ArgumentException("UsageArchiveOptions.PageSize must be from 1 to 1000.", "options");
        }
        if (Prefetch is < 1 or > 16)
        {
            throw new ArgumentException("UsageArchiveOptions.Prefetch must be from 1 to 16.", "options");
        }
        if (RowsPerCommit is < 1 or > 100_000)
        {
            throw new ArgumentException("UsageArchiveOptions.RowsPerCommit must be from 1 to 100,000.", "options");
        }
        if (TimeProvider is null)
        {
            throw new ArgumentException("UsageArchiveOptions.TimeProvider is not set.", "options");
        }
    }

    internal UsageArchiveOptions Clone()
    {
        var c = new UsageArchiveOptions
        {
            TrailingWindow = TrailingWindow,
            InitialLookback = InitialLookback,
            PageSize = PageSize,
            Prefetch = Prefetch,
            RowsPerCommit = RowsPerCommit,
            SyncUsage = SyncUsage,
            TimeProvider = TimeProvider,
        };
        c.BreakdownGroupings.Clear();
        foreach (var g in BreakdownGroupings.Distinct())
        {
            c.BreakdownGroupings.Add(g);
        }
        return c;
    }
}
