using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>
/// A non-nullable <see cref="decimal"/> amount (billing <c>dollars</c>, balance <c>amount</c>) read exactly from a
/// number (<c>0.25</c>, <c>250</c>) or a numeric string (<c>"0.25"</c>, as the vendor spec types <c>dollars</c>); null,
/// an empty string or a missing member read as 0. Anything else fails the read, as the usage models' numbers do.
/// </summary>
internal sealed class LenientMoneyConverter : JsonConverter<decimal>
{
    public override bool HandleNull => true;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return 0m;
            case JsonTokenType.Number:
                if (reader.TryGetDecimal(out var d))
                {
                    return d;
                }
                throw new JsonException("The amount does not fit a decimal.");
            case JsonTokenType.String:
                var s = reader.GetString();
                if (string.IsNullOrWhiteSpace(s))
                {
                    return 0m;
                }
                if (decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ds))
                {
                    return ds;
                }
                throw new JsonException($"Expected an amount (a number or a numeric string), got '{OpenEnum.Printable(s)}'.");
            default:
                throw new JsonException($"Expected an amount (a number or a numeric string), got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
