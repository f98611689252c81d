using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>Implemented by the string-backed open enums so one JSON converter serves them all.</summary>
internal interface IOpenEnum<TSelf> where TSelf : struct, IOpenEnum<TSelf>
{
    static abstract TSelf Create(string value);
}

internal static class OpenEnum
{
    public static string Check(string value, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The value must not be null, empty or white space.", paramName);
        }
        return value;
    }

    /// <summary>Makes a user-supplied value safe to print in an error message (control characters escaped, length capped).</summary>
    public static string Printable(string? value, int max = 80)
    {
        if (value is null)
        {
            return "(null)";
        }
        var sb = new StringBuilder(Math.Min(value.Length, max) + 8);
        foreach (var c in value)
        {
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }
            if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}

internal sealed class OpenEnumJsonConverter<T> : JsonConverter<T> where T : struct, IOpenEnum<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Tolerant: an empty string is the default value; a number or boolean keeps its raw text.
        string? s = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => throw new JsonException($"Expected a string for {typeof(T).Name}, got {reader.TokenType}."),
        };
        if (string.IsNullOrWhiteSpace(s))
        {
            return default;
        }
        try
        {
            return T.Create(s);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
