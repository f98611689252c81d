namespace UsageSdk.Archive.Internal;

/// <summary>Writes the value of each pair through another writer (a JSON Lines export of request logs keyed by project: the logs carry their project).</summary>
internal sealed class ValueExportWriter<TKey, TValue>(ExportWriter<TValue> inner) : ExportWriter<KeyValuePair<TKey, TValue>>
{
    public override ValueTask WriteAsync(KeyValuePair<TKey, TValue> item, CancellationToken cancellationToken) => inner.WriteAsync(item.Value, cancellationToken);

    public override ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
