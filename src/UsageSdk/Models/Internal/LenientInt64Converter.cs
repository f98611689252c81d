using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>An integer that may arrive as <c>5</c>, <c>5.0</c> or <c>"5"</c>.</summary>
internal sealed class LenientInt64Converter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var l))
                {
                    return l;
                }
                return FromDouble(reader.GetDouble());
            case JsonTokenType.String:
                var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                if (span.Length == 0)
                {
                    return null;
                }
                if (Utf8Parser.TryParse(span, out long ls, out var used) && used == span.Length)
                {
                    return ls;
                }
                if (Utf8Parser.TryParse(span, out double ds, out used) && used == span.Length)
                {
                    return FromDouble(ds);
                }
                throw new JsonException("Expected an integer or a numeric string.");
            default:
                throw new JsonException($"Expected an integer, got {reader.TokenType}.");
        }
    }

    private static long FromDouble(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d) || d > long.MaxValue || d < long.MinValue || Math.Abs(d - Math.Round(d)) > 1e-6 * Math.Max(1, Math.Abs(d)))
        {
            throw new JsonException($"Expected an integer, got {d.ToString(CultureInfo.InvariantCulture)}.");
        }
        return (long)Math.Round(d);
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
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
