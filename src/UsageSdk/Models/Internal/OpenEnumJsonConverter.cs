using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

internal sealed class OpenEnumJsonConverter<T> : JsonConverter<T> where T : struct, IOpenEnum<T>
{
    private const int MaxCached = 32;
    private const int MaxCachedLength = 64;

    // The values seen so far, by their UTF-8 spelling (copy on write): a page of request logs repeats the same few
    // methods and deployments, so reading one needs no string. Bounded, so an API sending many values cannot grow it.
    private static (byte[] Utf8, T Value)[] _seen = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var cacheable = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= MaxCachedLength;
        if (cacheable)
        {
            foreach (var (utf8, value) in Volatile.Read(ref _seen))
            {
                if (reader.ValueSpan.SequenceEqual(utf8))
                {
                    return value;
                }
            }
        }
        var result = ReadUncached(ref reader);
        if (cacheable && result.ToString() is { Length: > 0 })
        {
            Remember(reader.ValueSpan.ToArray(), result);
        }
        return result;
    }

    private static void Remember(byte[] utf8, T value)
    {
        while (true)
        {
            var seen = Volatile.Read(ref _seen);
            if (seen.Length >= MaxCached || Array.Exists(seen, e => e.Utf8.AsSpan().SequenceEqual(utf8)))
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _seen, [.. seen, (utf8, value)], seen) == seen)
            {
                return;
            }
        }
    }

    private static T ReadUncached(ref Utf8JsonReader reader)
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
