using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>
/// A non-nullable <see cref="double"/> (usage hours) that may arrive as a number, a numeric string (<c>"1619.72"</c>),
/// an empty string or null; the last two read as 0.
/// </summary>
internal sealed class LenientDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => LenientNumbers.ReadDouble(ref reader) ?? 0;

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
