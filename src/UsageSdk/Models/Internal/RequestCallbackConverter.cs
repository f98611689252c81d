using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>Reads <c>callback</c> as a URL string, an object (<c>attempts</c>, <c>code</c>, <c>completed</c>, <c>url</c>) or null.</summary>
internal sealed class RequestCallbackConverter : JsonConverter<RequestCallback?>
{
    private static readonly LenientInt32Converter Int = new();
    private static readonly LenientDateTimeOffsetConverter Date = new();
    private static readonly LenientStringConverter Str = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                        case 1:
                            cb.Attempts = Int.Read(ref reader, typeof(int?), options);
                            break;
                        case 2:
                            cb.Code = Int.Read(ref reader, typeof(int?), options);
                            break;
                        case 3:
                            cb.Completed = Date.Read(ref reader, typeof(DateTimeOffset?), options);
                            break;
                        case 4:
                            cb.Url = Str.Read(ref reader, typeof(string), options);
                            break;
                        default:
                            reader.Skip();
                            break;
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
