using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>A date sent as <c>YYYY-MM-DD</c>, or as a full timestamp (truncated to its date).</summary>
internal sealed class LenientDateOnlyConverter : JsonConverter<DateOnly?>
{
    public override bool HandleNull => true;

    public override DateOnly? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a date string, got {reader.TokenType}.");
        }
        var s = reader.GetString();
        if (string.IsNullOrEmpty(s))
        {
            return null;
        }
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            return DateOnly.FromDateTime(dto.UtcDateTime);
        }
        throw new JsonException($"Expected a date (YYYY-MM-DD), got '{OpenEnum.Printable(s)}'.");
    }

    public override void Write(Utf8JsonWriter writer, DateOnly? value, JsonSerializerOptions options)
    {
        if (value is { } d)
        {
            writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
