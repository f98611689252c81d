using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UsageSdk.Archive.Internal;

/// <summary>Value conversions shared by the stores.</summary>
internal static class ArchiveValues
{
    /// <summary>Compact JSON that keeps non-ASCII text readable (the archive's arrays and summaries).</summary>
    internal static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A fixed-width ISO-8601 UTC time (7 fractional digits), so text order is time order.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture); // yyyy-MM-ddTHH:mm:ss.fffffffZ (UTC), the fast path

    public static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A JSON array of strings, or null when empty.</summary>
    public static string? JsonArray(IReadOnlyList<string?>? values)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            WriteArray(w, values);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the values as a JSON array of strings (a null value as JSON null).</summary>
    public static void WriteArray(Utf8JsonWriter w, IReadOnlyList<string?> values)
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            if (v is null)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteStringValue(v);
            }
        }
        w.WriteEndArray();
    }

    public static List<string?> ParseJsonArray(string? json)
    {
        var list = new List<string?>();
        if (string.IsNullOrEmpty(json))
        {
            return list;
        }
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                list.Add(reader.GetString());
            }
            else if (reader.TokenType == JsonTokenType.Null)
            {
                list.Add(null);
            }
        }
        return list;
    }

    /// <summary>The key of a breakdown group: every grouping dimension, so two groups of one day never collide.</summary>
    public static string GroupKey(UsageBreakdownGrouping? g)
    {
        if (g is null)
        {
            return "";
        }
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartArray();
            Write(w, g.Accessor);
            Write(w, g.Endpoint);
            Write(w, g.FeatureSet);
            w.WriteStartArray();
            foreach (var m in g.Models)
            {
                Write(w, m);
            }
            w.WriteEndArray();
            Write(w, g.Method);
            if (g.Tags is { } tags)
            {
                w.WriteStartArray();
                foreach (var t in tags)
                {
                    w.WriteStringValue(t);
                }
                w.WriteEndArray();
            }
            else
            {
                w.WriteNullValue();
            }
            Write(w, g.Deployment);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }

    public static object Db(string? v) => (object?)v ?? DBNull.Value;
    public static object Db(double? v) => v is { } x ? x : DBNull.Value;
    public static object Db(decimal? v) => v is { } x ? x : DBNull.Value;
    public static object Db(long? v) => v is { } x ? x : DBNull.Value;
    public static object Db(int? v) => v is { } x ? x : DBNull.Value;

    /// <summary>The page's rows with a request id, the last of each id kept (a page never holds one twice, but a store must not fail if it did).</summary>
    public static List<RequestRow> Rows(IReadOnlyList<UsageRequest> requests)
    {
        var rows = new List<RequestRow>(requests.Count);
        Dictionary<string, int>? seen = null;
        foreach (var r in requests)
        {
            if (string.IsNullOrEmpty(r.RequestId))
            {
                continue;
            }
            seen ??= new Dictionary<string, int>(requests.Count, StringComparer.Ordinal);
            if (seen.TryGetValue(r.RequestId, out var at))
            {
                rows[at] = new RequestRow(r);
            }
            else
            {
                seen[r.RequestId] = rows.Count;
                rows.Add(new RequestRow(r));
            }
        }
        return rows;
    }

    /// <summary>Usage results that carry no day cannot be stored per day; they are given the first day fetched.</summary>
    public static UsageSummary Summary(IEnumerable<UsageSummaryResult> results, DateOnly? from, DateOnly? to)
    {
        var list = results.ToList();
        return UsageModelFactory.UsageSummary(
            from ?? list.Select(r => r.Start).Min(),
            to ?? list.Select(r => r.End ?? r.Start).Max(),
            UsageModelFactory.UsageResolution("day", 1),
            list);
    }

    public static UsageBreakdown Breakdown(IEnumerable<UsageBreakdownResult> results, DateOnly? from, DateOnly? to)
    {
        var list = results.ToList();
        return UsageModelFactory.UsageBreakdown(
            from ?? list.Select(r => r.Grouping?.Start).Min(),
            to ?? list.Select(r => r.Grouping?.End ?? r.Grouping?.Start).Max(),
            UsageModelFactory.UsageResolution("day", 1),
            list);
    }

    public static bool IsUnsettled(string state) => state is "pending" or "unknown" or "lost";
}
