using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>A <see cref="double"/>? that may arrive as a number, a numeric string, an empty string (null) or null.</summary>
internal sealed class LenientNullableDoubleConverter : JsonConverter<double?>
{
    public override bool HandleNull => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => LenientNumbers.ReadDouble(ref reader);

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
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
