using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

internal sealed class RawJsonConverter : JsonConverter<RawJson?>
{
    [ThreadStatic] private static byte[]? _threadBuffer;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override RawJson? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var buffer = _threadBuffer ??= new byte[1024];
        var length = Copy(ref reader, ref buffer);
        _threadBuffer = buffer.Length <= 64 * 1024 ? buffer : null; // keep a small scratch buffer per thread, never a huge one
        return new RawJson(buffer.AsSpan(0, length).ToArray());
    }

    /// <summary>
    /// Copies one value token by token as its raw UTF-8 (no DOM, no writer): strings and property names keep their
    /// escapes as they are, numbers their text, and separators are written between tokens. This runs once per item
    /// (the <c>config</c> of every request log), so it only appends bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Append(ref byte[] buffer, ref int length, byte b)
    {
        if (length == buffer.Length)
        {
            Reserve(ref buffer, length, 1);
        }
        buffer[length++] = b;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        Reserve(ref buffer, length, bytes.Length);
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
