using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>
/// Rows of a usage answer as wire JSON (the SDK model serialized with <see cref="UsageJson"/>), so json/jsonl output
/// is exactly the wire shape and tables/CSV read the same values.
/// </summary>
internal static class WireRows
{
    /// <summary>The items of the answer's <c>results</c> array, in the wire's shape.</summary>
    public static IReadOnlyList<JsonElement> Results<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var element = JsonSerializer.SerializeToElement(value, typeInfo);
        return element.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().ToList()
            : [];
    }

    public static RecordSchema<JsonElement> Schema(IReadOnlyList<Column<JsonElement>> table, IReadOnlyList<Column<JsonElement>> csv)
        => new() { Table = table, Csv = csv, Json = (w, e) => e.WriteTo(w) };

    public static JsonElement? Get(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e))
            {
                return null;
            }
        }
        return e.ValueKind == JsonValueKind.Null ? null : e;
    }

    public static string? Str(JsonElement e, params string[] path) => Get(e, path) is { } v
        ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Array => string.Join(";", v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText())),
            _ => v.GetRawText(),
        }
        : null;

    /// <summary>The raw JSON number/string text (invariant, as on the wire), for CSV.</summary>
    public static string? Raw(JsonElement e, params string[] path) => Get(e, path) is { } v
        ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
        : null;

    public static long? Long(JsonElement e, params string[] path) => Get(e, path) is { } v
        ? (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l
            : double.TryParse(Raw(e, path), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null)
        : null;

    public static double Double(JsonElement e, params string[] path)
        => Get(e, path) is { } v && double.TryParse(v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
}
