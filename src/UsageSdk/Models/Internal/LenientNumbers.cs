using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace UsageSdk.Internal;

internal static class LenientNumbers
{
    /// <summary>Reads a number, a numeric string (also <c>NaN</c>/<c>Infinity</c>), an empty string (null) or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double? ReadDouble(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.GetDouble();
            case JsonTokenType.String:
                var s = reader.GetString();
                if (string.IsNullOrWhiteSpace(s))
                {
                    return null;
                }
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return d;
                }
                throw new JsonException("Expected a number or a numeric string.");
            default:
                throw new JsonException($"Expected a number, got {reader.TokenType}.");
        }
    }
}
