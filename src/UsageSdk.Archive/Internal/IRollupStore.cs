using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive.Internal;

/// <summary>
/// A store that keeps roll-ups (<see cref="SqliteArchiveStore"/>, <c>PostgresArchiveStore</c>): it reads them for
/// <see cref="RollupReports"/>. Other stores are read from their request logs.
/// </summary>
internal interface IRollupStore
{
    /// <summary>Every roll-up shape of the database by id (shapes are never changed or removed; new ones are read when asked for).</summary>
    Task<IReadOnlyDictionary<long, RollupShape>> GetShapesAsync(CancellationToken cancellationToken);

    /// <summary>Reads what <paramref name="plan"/> asks for, all from one snapshot of the database.</summary>
    Task<RollupRead> ReadRollupsAsync(string projectId, RollupPlan plan, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// What to read for one view of <c>[Start, End)</c>. Whole hours <c>[FirstHour, EndHour)</c> come from roll-ups, whole
/// days <c>[FirstDay, EndDay)</c> from the daily ones; the rest of the range, and the requests without an outcome from
/// <see cref="OpenFromHour"/> on (still pending or unknown, or lost only lately), come from the request logs.
/// </summary>
internal sealed class RollupPlan
{
    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required long FirstHour { get; init; }

    public required long EndHour { get; init; }

    public required long FirstDay { get; init; }

    public required long EndDay { get; init; }

    /// <summary>The first hour whose open requests may not all be lost yet: they are read from the logs.</summary>
    public required long OpenFromHour { get; init; }

    /// <summary>Shapes with an open outcome (their series shapes too: a series shape is a shape).</summary>
    public required IReadOnlyCollection<long> OpenShapes { get; init; }

    /// <summary>The shapes that pass the view's filters; null when it has none.</summary>
    public IReadOnlyCollection<long>? Matching { get; init; }

    /// <summary>How many shapes the plan was made from (what <see cref="Matching"/> is a part of).</summary>
    public int ShapeCount { get; init; }

    /// <summary>Read the totals per day and shape (daily budgets per key) instead of per shape.</summary>
    public bool ByDay { get; init; }

    /// <summary>Read the time series of all shapes (<see cref="RollupRead.Series"/>); false when only the totals of all are needed.</summary>
    public bool AllSeries { get; init; } = true;

    public bool HasHours => EndHour > FirstHour;
}

/// <summary>What a <see cref="RollupPlan"/> read.</summary>
internal sealed class RollupRead
{
    /// <summary>Sums per shape over the whole hours of the range (per day and shape with <see cref="RollupPlan.ByDay"/>, else day -1).</summary>
    public List<(long Day, long Shape, RollupFigures Figures)> Totals { get; } = [];

    /// <summary>Sums per hour and series shape, all shapes.</summary>
    public List<(long Hour, long Series, RollupFigures Figures)> Series { get; } = [];

    /// <summary>Sums per hour and series shape of the matching shapes (with <see cref="RollupPlan.Matching"/>).</summary>
    public List<(long Hour, long Series, RollupFigures Figures)> MatchingSeries { get; } = [];

    /// <summary>The request logs the roll-ups leave out (see <see cref="RollupPlan"/>).</summary>
    public List<UsageRequest> Requests { get; } = [];

    /// <summary>Creation times (UTC ticks) of the first and last request in the whole hours, all shapes; null when none.</summary>
    public (long First, long Last)? Times { get; set; }

    /// <summary>The same for the matching shapes.</summary>
    public (long First, long Last)? MatchingTimes { get; set; }

    /// <summary>The oldest and newest archived request of the project (any time) and its checkpoint.</summary>
    public DateTimeOffset? Oldest { get; set; }

    public DateTimeOffset? Newest { get; set; }

    public ArchiveCheckpoint? Checkpoint { get; set; }
}
