using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

internal static class EmptyJson
{
    public static readonly IReadOnlyDictionary<string, JsonElement> Dictionary = new Dictionary<string, JsonElement>(0);
}

/// <summary>An integer that may arrive as <c>5</c>, <c>5.0</c> or <c>"5"</c>.</summary>
internal sealed class LenientInt64Converter : JsonConverter<long?>
{
    public override bool HandleNull => true;

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

/// <summary>An <see cref="int"/> that may arrive as <c>5</c>, <c>5.0</c> or <c>"5"</c>.</summary>
internal sealed class LenientInt32Converter : JsonConverter<int?>
{
    private static readonly LenientInt64Converter Inner = new();

    public override bool HandleNull => true;

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

/// <summary>A string that may arrive as a number or boolean (kept as its text).</summary>
internal sealed class LenientStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        _ => throw new JsonException($"Expected a string, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>A list of strings that may arrive as an array, a single string, or null. Null items are dropped.</summary>
internal sealed class LenientStringListConverter : JsonConverter<IReadOnlyList<string>?>
{
    public override bool HandleNull => true;

    private static readonly LenientStringConverter Item = new();

    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Same rules as LenientNullableStringListConverter.ReadList, without its intermediate list (this runs three times per item).
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                var list = new List<string>(4);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        throw new JsonException("Expected an array of strings.");
                    }
                    if (ReadItem(ref reader) is { } s)
                    {
                        list.Add(s);
                    }
                }
                return list;
            default:
                return ReadItem(ref reader) is { } one ? [one] : [];
        }
    }

    // Tags, features and model ids repeat from item to item: strings come from the shared cache.
    private static string? ReadItem(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String ? Utf8StringCache.Read(ref reader) : Item.Read(ref reader, typeof(string), null!);

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var s in value)
        {
            writer.WriteStringValue(s);
        }
        writer.WriteEndArray();
    }
}

/// <summary>A list of strings whose items may be null (breakdown <c>grouping.models</c>).</summary>
internal sealed class LenientNullableStringListConverter : JsonConverter<IReadOnlyList<string?>?>
{
    private static readonly LenientStringConverter Item = new();

    public override bool HandleNull => true;

    public override IReadOnlyList<string?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadList(ref reader);

    internal static List<string?>? ReadList(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                var list = new List<string?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        throw new JsonException("Expected an array of strings.");
                    }
                    list.Add(Item.Read(ref reader, typeof(string), null!));
                }
                return list;
            default:
                return [Item.Read(ref reader, typeof(string), null!)];
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string?>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var s in value)
        {
            if (s is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(s);
            }
        }
        writer.WriteEndArray();
    }
}

/// <summary>A date sent as <c>YYYY-MM-DD</c>, or as a full timestamp (truncated to its date).</summary>
internal sealed class LenientDateOnlyConverter : JsonConverter<DateOnly?>
{
    public override bool HandleNull => true;

    public override DateOnly? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a date string, got {reader.TokenType}.");
        }
        var s = reader.GetString();
        if (string.IsNullOrEmpty(s))
        {
            return null;
        }
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            return DateOnly.FromDateTime(dto.UtcDateTime);
        }
        throw new JsonException($"Expected a date (YYYY-MM-DD), got '{OpenEnum.Printable(s)}'.");
    }

    public override void Write(Utf8JsonWriter writer, DateOnly? value, JsonSerializerOptions options)
    {
        if (value is { } d)
        {
            writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>A timestamp; an unparseable or empty one reads as null instead of failing the whole item. Without a zone it is UTC.</summary>
internal sealed class LenientDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ReadTimestamp(ref reader);

    /// <summary>Reads an ISO-8601 timestamp; a value without a zone is UTC (never the machine's zone); anything else is null.</summary>
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

/// <summary>
/// The <c>created</c> timestamp of a request log: like <see cref="LenientDateTimeOffsetConverter"/>, but for a
/// non-nullable property; a null, missing or empty value is <see cref="DateTimeOffset.MinValue"/>. Any other value that
/// is not a timestamp fails, so that <see cref="TolerantJson"/> keeps it in <see cref="UsageRequest.UnreadableMembers"/>
/// (the item is still read) instead of it silently becoming year 0001.
/// </summary>
internal sealed class LenientCreatedConverter : JsonConverter<DateTimeOffset>
{
    public override bool HandleNull => true;

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

/// <summary>Reads <c>callback</c> as a URL string, an object (<c>attempts</c>, <c>code</c>, <c>completed</c>, <c>url</c>) or null.</summary>
internal sealed class RequestCallbackConverter : JsonConverter<RequestCallback?>
{
    private static readonly LenientInt32Converter Int = new();
    private static readonly LenientDateTimeOffsetConverter Date = new();
    private static readonly LenientStringConverter Str = new();

    public override RequestCallback? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var url = reader.GetString();
                return string.IsNullOrEmpty(url) ? null : new RequestCallback { Url = url };
            case JsonTokenType.StartObject:
                var cb = new RequestCallback();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        throw new JsonException("Malformed callback object.");
                    }
                    // Compared as UTF-8 (no string per property name; this runs for many items).
                    var field = reader.ValueTextEquals("attempts"u8) ? 1 : reader.ValueTextEquals("code"u8) ? 2 : reader.ValueTextEquals("completed"u8) ? 3 : reader.ValueTextEquals("url"u8) ? 4 : 0;
                    reader.Read();
                    switch (field)
                    {
                        case 1: cb.Attempts = Int.Read(ref reader, typeof(int?), options); break;
                        case 2: cb.Code = Int.Read(ref reader, typeof(int?), options); break;
                        case 3: cb.Completed = Date.Read(ref reader, typeof(DateTimeOffset?), options); break;
                        case 4: cb.Url = Str.Read(ref reader, typeof(string), options); break;
                        default: reader.Skip(); break;
                    }
                }
                return cb;
            default:
                // A number, boolean or array: not a callback shape any API version sends; skipped rather than failing the item.
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, RequestCallback? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        if (value.Attempts is null && value.Code is null && value.Completed is null)
        {
            writer.WriteStringValue(value.Url);
            return;
        }
        writer.WriteStartObject();
        if (value.Url is not null)
        {
            writer.WriteString("url", value.Url);
        }
        if (value.Attempts is { } a)
        {
            writer.WriteNumber("attempts", a);
        }
        if (value.Code is { } c)
        {
            writer.WriteNumber("code", c);
        }
        if (value.Completed is { } d)
        {
            writer.WriteString("completed", d);
        }
        writer.WriteEndObject();
    }
}

/// <summary>A JSON value kept as UTF-8 bytes and parsed only when read (the per-item <c>config</c>, which is rarely read).</summary>
internal sealed class RawJson(byte[] utf8)
{
    public byte[] Utf8 { get; } = utf8;

    public IReadOnlyDictionary<string, JsonElement>? ToDictionary()
    {
        // The bytes were already read within the client's MaxJsonDepth (at most 1024): parse them with room for that depth.
        using var doc = JsonDocument.Parse(Utf8, new JsonDocumentOptions { MaxDepth = 1024 });
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            d[p.Name] = p.Value.Clone();
        }
        return d;
    }

    public override string ToString() => Encoding.UTF8.GetString(Utf8);
}

internal sealed class RawJsonConverter : JsonConverter<RawJson?>
{
    [ThreadStatic] private static byte[]? t_buffer;

    public override RawJson? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var buffer = t_buffer ??= new byte[1024];
        var length = Copy(ref reader, ref buffer);
        t_buffer = buffer.Length <= 64 * 1024 ? buffer : null; // keep a small scratch buffer per thread, never a huge one
        return new RawJson(buffer.AsSpan(0, length).ToArray());
    }

    /// <summary>
    /// Copies one value token by token as its raw UTF-8 (no DOM, no writer): strings and property names keep their
    /// escapes as they are, numbers their text, and separators are written between tokens. This runs once per item
    /// (the <c>config</c> of every request log), so it only appends bytes.
    /// </summary>
    private static int Copy(ref Utf8JsonReader reader, ref byte[] buffer)
    {
        var depth = reader.CurrentDepth;
        var length = 0;
        var needComma = false;
        while (true)
        {
            var token = reader.TokenType;
            if (needComma && token is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                Append(ref buffer, ref length, (byte)',');
            }
            switch (token)
            {
                case JsonTokenType.StartObject: Append(ref buffer, ref length, (byte)'{'); needComma = false; break;
                case JsonTokenType.EndObject: Append(ref buffer, ref length, (byte)'}'); needComma = true; break;
                case JsonTokenType.StartArray: Append(ref buffer, ref length, (byte)'['); needComma = false; break;
                case JsonTokenType.EndArray: Append(ref buffer, ref length, (byte)']'); needComma = true; break;
                case JsonTokenType.PropertyName:
                    Append(ref buffer, ref length, (byte)'"');
                    AppendValue(ref reader, ref buffer, ref length);
                    Append(ref buffer, ref length, (byte)'"');
                    Append(ref buffer, ref length, (byte)':');
                    needComma = false;
                    break;
                case JsonTokenType.String:
                    Append(ref buffer, ref length, (byte)'"');
                    AppendValue(ref reader, ref buffer, ref length);
                    Append(ref buffer, ref length, (byte)'"');
                    needComma = true;
                    break;
                case JsonTokenType.Number:
                    AppendValue(ref reader, ref buffer, ref length);
                    needComma = true;
                    break;
                case JsonTokenType.True: Append(ref buffer, ref length, "true"u8); needComma = true; break;
                case JsonTokenType.False: Append(ref buffer, ref length, "false"u8); needComma = true; break;
                case JsonTokenType.Null: Append(ref buffer, ref length, "null"u8); needComma = true; break;
                default: throw new JsonException($"Unexpected token {token}.");
            }
            if (reader.CurrentDepth == depth && token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return length;
            }
            if (!reader.Read())
            {
                throw new JsonException("The JSON value ended early.");
            }
        }
    }

    private static void AppendValue(ref Utf8JsonReader reader, ref byte[] buffer, ref int length)
    {
        if (!reader.HasValueSequence)
        {
            Append(ref buffer, ref length, reader.ValueSpan);
            return;
        }
        var sequence = reader.ValueSequence;
        Reserve(ref buffer, length, checked((int)sequence.Length));
        sequence.CopyTo(buffer.AsSpan(length));
        length += (int)sequence.Length;
    }

    private static void Append(ref byte[] buffer, ref int length, byte b)
    {
        if (length == buffer.Length)
        {
            Reserve(ref buffer, length, 1);
        }
        buffer[length++] = b;
    }

    private static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        Reserve(ref buffer, length, bytes.Length);
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    private static void Reserve(ref byte[] buffer, int length, int more)
    {
        if (buffer.Length - length < more)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, checked(length + more)));
        }
    }

    public override void Write(Utf8JsonWriter writer, RawJson? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(value.Utf8, skipInputValidation: true);
        }
    }
}

/// <summary>Readers of drifting JSON values (config options).</summary>
internal static class JsonValues
{
    public static bool? AsBoolean(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => GetString(v)?.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => null,
        },
        JsonValueKind.Number => v.TryGetInt64(out var n) ? n != 0 : null,
        _ => null,
    };

    public static string? AsString(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => GetString(v),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => null,
    };

    public static IReadOnlyList<string>? AsStrings(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>(v.GetArrayLength());
            foreach (var item in v.EnumerateArray())
            {
                if (AsString(item) is { } s)
                {
                    list.Add(s);
                }
            }
            return list;
        }
        return AsString(v) is { } one ? [one] : null;
    }

    /// <summary>The string, or null when its escapes make no valid text (a lone surrogate such as <c>\uD800</c>).</summary>
    private static string? GetString(JsonElement v)
    {
        try
        {
            return v.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

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

/// <summary>A <see cref="double"/>? that may arrive as a number, a numeric string, an empty string (null) or null.</summary>
internal sealed class LenientNullableDoubleConverter : JsonConverter<double?>
{
    public override bool HandleNull => true;

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

/// <summary>A <see cref="decimal"/>? (cost in USD) that may arrive as a number, a numeric string, an empty string (null) or null.</summary>
internal sealed class LenientDecimalConverter : JsonConverter<decimal?>
{
    public override bool HandleNull => true;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetDecimal(out var d))
                {
                    return d;
                }
                throw new JsonException("The number does not fit a decimal.");
            case JsonTokenType.String:
                var s = reader.GetString();
                if (string.IsNullOrWhiteSpace(s))
                {
                    return null;
                }
                if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var ds))
                {
                    return ds;
                }
                throw new JsonException("Expected a number or a numeric string.");
            default:
                throw new JsonException($"Expected a number, got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
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

internal static class LenientNumbers
{
    /// <summary>Reads a number, a numeric string (also <c>NaN</c>/<c>Infinity</c>), an empty string (null) or null.</summary>
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

/// <summary>Lists of objects read from the wire: a <c>null</c> item (seen in drifting APIs) is dropped, so users never meet one.</summary>
internal static class JsonLists
{
    public static IReadOnlyList<T>? WithoutNulls<T>(IReadOnlyList<T>? list) where T : class
    {
        if (list is null)
        {
            return null;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                return list.Where(static x => x is not null).ToList();
            }
        }
        return list;
    }
}
