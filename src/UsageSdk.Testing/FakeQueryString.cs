using System.Globalization;

namespace UsageSdk.Testing;

/// <summary>Reads a query string the way the API does: repeated keys kept in order, <c>%XX</c> decoded, and a bare <c>+</c> read as a space.</summary>
internal static class FakeQueryString
{
    public static List<KeyValuePair<string, string>> Parse(string? query)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(query))
        {
            return list;
        }
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = part.IndexOf('=', StringComparison.Ordinal);
            var key = i < 0 ? part : part[..i];
            var value = i < 0 ? "" : part[(i + 1)..];
            list.Add(new(Decode(key), Decode(value)));
        }
        return list;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    /// <summary>Parses a <c>/requests</c> time: <c>YYYY-MM-DD</c>, <c>YYYY-MM-DDTHH:MM:SS[.f]</c> (UTC) or with <c>Z</c> / <c>±HH:MM</c>.</summary>
    public static bool TryParseTime(string s, bool endOfDay, out DateTimeOffset value)
    {
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            value = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (endOfDay)
            {
                value = value.AddDays(1).AddTicks(-1);
            }
            return true;
        }
        if (s.Length >= 19 && s[10] == 'T'
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Parses a usage date: <c>YYYY-MM-DD</c>; a full timestamp is truncated to its UTC day (as the API does).</summary>
    public static bool TryParseDate(string s, out DateOnly value)
    {
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }
        if (TryParseTime(s, false, out var t))
        {
            value = DateOnly.FromDateTime(t.UtcDateTime);
            return true;
        }
        return false;
    }
}
