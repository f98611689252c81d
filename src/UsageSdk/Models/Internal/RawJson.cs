using System.Text;
using System.Text.Json;

namespace UsageSdk.Internal;

/// <summary>A JSON value kept as UTF-8 bytes and parsed only when read (the per-item <c>config</c>, which is rarely read).</summary>
internal sealed class RawJson(byte[] utf8)
{
    public byte[] Utf8 { get; } = utf8;

    public IReadOnlyDictionary<string, JsonElement>? ToDictionary()
    {
        // The bytes were already read within the client's MaxJsonDepth (at most 1024): parse them with room for that depth.
        using var doc = JsonDocument.Parse(Utf8, new JsonDocumentOptions { MaxDepth = 1024 });
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        // One clone of the whole object, whose members then stay valid: a clone per member made a document each.
        var root = doc.RootElement.Clone();
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            d[p.Name] = p.Value;
        }
        return d;
    }

    public override string ToString() => Encoding.UTF8.GetString(Utf8);
}
