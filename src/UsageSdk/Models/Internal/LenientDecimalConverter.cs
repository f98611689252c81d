using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>A <see cref="decimal"/>? (cost in USD) that may arrive as a number, a numeric string, an empty string (null) or null.</summary>
internal sealed class LenientDecimalConverter : JsonConverter<decimal?>
{
    public override bool HandleNull => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetDecimal(out var d))
                {
                    return d;
                }
                throw new JsonException("The number does not fit a decimal.");
            case JsonTokenType.String:
                var s = reader.GetString();
                if (string.IsNullOrWhiteSpace(s))
                {
                    return null;
                }
                if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var ds))
                {
                    return ds;
                }
                throw new JsonException("Expected a number or a numeric string.");
            default:
                throw new JsonException($"Expected a number, got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
