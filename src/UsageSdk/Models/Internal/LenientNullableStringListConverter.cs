using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>A list of strings whose items may be null (breakdown <c>grouping.models</c>).</summary>
internal sealed class LenientNullableStringListConverter : JsonConverter<IReadOnlyList<string?>?>
{
    private static readonly LenientStringConverter Item = new();

    public override bool HandleNull => true;

    public override IReadOnlyList<string?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadList(ref reader);

    internal static List<string?>? ReadList(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                var list = new List<string?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        throw new JsonException("Expected an array of strings.");
                    }
                    list.Add(Item.Read(ref reader, typeof(string), null!));
                }
                return list;
            default:
                return [Item.Read(ref reader, typeof(string), null!)];
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string?>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var s in value)
        {
            if (s is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(s);
            }
        }
        writer.WriteEndArray();
    }
}
