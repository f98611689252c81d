using System.Text.Json;

namespace UsageSdk.Internal;

/// <summary>Readers of drifting JSON values (config options).</summary>
internal static class JsonValues
{
    public static bool? AsBoolean(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => GetString(v)?.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => null,
        },
        JsonValueKind.Number => v.TryGetInt64(out var n) ? n != 0 : null,
        _ => null,
    };

    public static string? AsString(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => GetString(v),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => null,
    };

    public static IReadOnlyList<string>? AsStrings(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>(v.GetArrayLength());
            foreach (var item in v.EnumerateArray())
            {
                if (AsString(item) is { } s)
                {
                    list.Add(s);
                }
            }
            return list;
        }
        return AsString(v) is { } one ? [one] : null;
    }

    /// <summary>The string, or null when its escapes make no valid text (a lone surrogate such as <c>\uD800</c>).</summary>
    private static string? GetString(JsonElement v)
    {
        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
