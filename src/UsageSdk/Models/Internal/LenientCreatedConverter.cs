using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>
/// The <c>created</c> timestamp of a request log: like <see cref="LenientDateTimeOffsetConverter"/>, but for a
/// non-nullable property; a null, missing or empty value is <see cref="DateTimeOffset.MinValue"/>. Any other value that
/// is not a timestamp fails, so that <see cref="TolerantJson"/> keeps it in <see cref="UsageRequest.UnreadableMembers"/>
/// (the item is still read) instead of it silently becoming year 0001.
/// </summary>
internal sealed class LenientCreatedConverter : JsonConverter<DateTimeOffset>
{
    public override bool HandleNull => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && reader.ValueSpan.IsEmpty))
        {
            return default;
        }
        return LenientDateTimeOffsetConverter.ReadTimestamp(ref reader) ?? throw new JsonException("Expected an ISO-8601 timestamp.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
