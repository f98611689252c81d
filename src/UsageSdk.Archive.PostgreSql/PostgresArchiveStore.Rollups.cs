using UsageSdk.Archive.Internal;
using UsageSdk.Archive.PostgreSql.Internal;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive.PostgreSql;

/// <summary>The roll-ups of a PostgreSQL archive (tables <c>usage_rollups</c>, <c>usage_rollups_daily</c>, <c>usage_rollups_series</c>; see <see cref="PostgresRollups"/>).</summary>
public sealed partial class PostgresArchiveStore : IRollupStore
{
    private readonly PostgresRollups _rollups = new();

    async Task<IReadOnlyDictionary<long, RollupShape>> IRollupStore.GetShapesAsync(CancellationToken cancellationToken)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await _rollups.ShapesAsync(c, cancellationToken).ConfigureAwait(false);
    }

    async Task<RollupRead> IRollupStore.ReadRollupsAsync(string projectId, RollupPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for every roll-up and log read (and the checkpoint).
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var read = await PostgresRollups.ReadAsync(c, tx, projectId, plan, now, cancellationToken).ConfigureAwait(false);
        read.Checkpoint = await ReadCheckpointAsync(c, projectId, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return read;
    }
}
