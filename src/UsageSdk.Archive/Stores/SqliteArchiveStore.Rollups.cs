using UsageSdk.Archive.Internal;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive;

/// <summary>The roll-ups of a SQLite archive (tables <c>usage_rollups</c>, <c>usage_rollups_daily</c>, <c>usage_rollups_series</c>; see <see cref="SqliteRollups"/>).</summary>
public sealed partial class SqliteArchiveStore : IRollupStore
{
    private readonly SqliteRollups _rollups = new();

    Task<IReadOnlyDictionary<long, RollupShape>> IRollupStore.GetShapesAsync(CancellationToken cancellationToken)
        => Guard(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var c = Open();
            return Task.FromResult(_rollups.Shapes(c));
        });

    Task<RollupRead> IRollupStore.ReadRollupsAsync(string projectId, RollupPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
        => Guard(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var c = Open();
            var checkpoint = ReadCheckpoint(c, projectId);
            using var tx = c.BeginTransaction(deferred: true); // one snapshot for every roll-up and log read (WAL)
            var read = _rollups.Read(c, tx, projectId, plan, now);
            tx.Commit();
            read.Checkpoint = checkpoint;
            return Task.FromResult(read);
        });
}
