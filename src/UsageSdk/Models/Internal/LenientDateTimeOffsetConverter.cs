using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>A timestamp; an unparseable or empty one reads as null instead of failing the whole item. Without a zone it is UTC.</summary>
internal sealed class LenientDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ReadTimestamp(ref reader);

    /// <summary>Reads an ISO-8601 timestamp; a value without a zone is UTC (never the machine's zone); anything else is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            // Fast path: the API's own form ends with 'Z' (2023-10-05T22:49:03.509654Z).
            if (!reader.HasValueSequence && !reader.ValueIsEscaped && reader.ValueSpan is { Length: > 0 } span && span[^1] == (byte)'Z'
                && reader.TryGetDateTimeOffset(out var v))
            {
                return v;
            }
            var s = reader.GetString();
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var p) ? p : null;
        }
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            reader.Skip();
        }
        return null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
