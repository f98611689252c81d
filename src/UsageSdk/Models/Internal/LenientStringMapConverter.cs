using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>
/// A map of strings (billing <c>line_items</c>: id → description) from an object whose values may be strings, numbers
/// or booleans (kept as their text) or null (an empty description); an array of ids reads as ids with empty
/// descriptions; null reads as null (empty). Keys keep the wire's order; a repeated key keeps its last value.
/// </summary>
internal sealed class LenientStringMapConverter : JsonConverter<IReadOnlyDictionary<string, string>?>
{
    public override bool HandleNull => true;

    public override IReadOnlyDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    map[key] = Text(ref reader);
                }
                return map;
            case JsonTokenType.StartArray:
                var ids = new Dictionary<string, string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var id = Text(ref reader);
                    if (id.Length > 0)
                    {
                        ids.TryAdd(id, "");
                    }
                }
                return ids;
            default:
                throw new JsonException($"Expected an object of strings, got {reader.TokenType}.");
        }
    }

    private static string Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => "",
        JsonTokenType.String => reader.GetString() ?? "",
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        _ => throw new JsonException($"Expected a string, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        foreach (var (k, v) in value)
        {
            writer.WriteString(k, v);
        }
        writer.WriteEndObject();
    }
}
