using Refit;

namespace UsageSdk.Internal;

/// <summary>
/// Writes the raw query pairs of a query (<c>WithParameter</c>, and the feature filters of <see cref="UsageQuery"/>) in
/// their order, a name as often as it was added (<c>tag=a&amp;tag=b</c>). Refit's own hook for a shape its generator
/// cannot flatten from the declared type; it escapes keys and values as for every other parameter.
/// </summary>
internal sealed class QueryPairsConverter : IQueryConverter<IReadOnlyList<KeyValuePair<string, string>>>
{
    public void Flatten(IReadOnlyList<KeyValuePair<string, string>> value, string keyPrefix, ref GeneratedQueryStringBuilder builder, RefitSettings settings)
    {
        foreach (var (name, v) in value)
        {
            builder.Add(keyPrefix + name, v, false);
        }
    }
}
