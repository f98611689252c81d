using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>A list of strings that may arrive as an array, a single string, or null. Null items are dropped.</summary>
internal sealed class LenientStringListConverter : JsonConverter<IReadOnlyList<string>?>
{
    public override bool HandleNull => true;

    private static readonly LenientStringConverter Item = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Same rules as LenientNullableStringListConverter.ReadList, without its intermediate list (this runs three times per item).
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                var list = new List<string>(4);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        throw new JsonException("Expected an array of strings.");
                    }
                    if (ReadItem(ref reader) is { } s)
                    {
                        list.Add(s);
                    }
                }
                return list;
            default:
                return ReadItem(ref reader) is { } one ? [one] : [];
        }
    }

    // Tags, features and model ids repeat from item to item: strings come from the shared cache.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ReadItem(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String ? Utf8StringCache.Read(ref reader) : Item.Read(ref reader, typeof(string), null!);

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var s in value)
        {
            writer.WriteStringValue(s);
        }
        writer.WriteEndArray();
    }
}
