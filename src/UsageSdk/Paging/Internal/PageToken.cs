using System.Globalization;

namespace UsageSdk.Internal;

/// <summary>
/// A continuation token: <c>v1.{page}.{end as UTC ticks}.{page size}.{query fingerprint}</c>. It names the next page and
/// carries the pinned end, so a resumed run (also in another process) asks for exactly the same window.
/// </summary>
internal readonly record struct PageToken(int Page, DateTimeOffset End, int Limit, uint Fingerprint)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"v1.{Page}.{End.UtcTicks}.{Limit}.{Fingerprint:x8}");

    public static PageToken Parse(string token, uint expectedFingerprint)
    {
        var parts = token.Split('.');
        if (parts.Length != 5 || parts[0] != "v1"
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > RequestsQuery.MaxPageSize
            || !uint.TryParse(parts[4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var fp))
        {
            throw new ArgumentException($"'{OpenEnum.Printable(token)}' is not a continuation token of this SDK.", "continuationToken");
        }
        if (fp != expectedFingerprint)
        {
            throw new ArgumentException("The continuation token was made for a different query; resume with the same filters.", "continuationToken");
        }
        return new PageToken(page, new DateTimeOffset(ticks, TimeSpan.Zero), limit, fp);
    }
}
