using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>An <see cref="int"/> that may arrive as <c>5</c>, <c>5.0</c> or <c>"5"</c>.</summary>
internal sealed class LenientInt32Converter : JsonConverter<int?>
{
    private static readonly LenientInt64Converter Inner = new();

    public override bool HandleNull => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var l = Inner.Read(ref reader, typeof(long?), options);
        if (l is null)
        {
            return null;
        }
        if (l > int.MaxValue || l < int.MinValue)
        {
            throw new JsonException($"The value {l} does not fit a 32-bit integer.");
        }
        return (int)l.Value;
    }

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
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
