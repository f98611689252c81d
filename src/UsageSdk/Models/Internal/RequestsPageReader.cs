using System.Runtime.CompilerServices;
using System.Text.Json;

namespace UsageSdk.Internal;

/// <summary>
/// Reads a page of <c>/requests</c> with one <see cref="Utf8JsonReader"/> pass written out by hand: the same objects the
/// source-generated <see cref="WireJsonContext"/> makes, member by member (the same converters for every member that
/// has one, the same rules for null, lists, unknown members and the last of duplicate members), without the
/// serializer's metadata. The metadata path compiles a set of generic methods for every value type a property has
/// (int?, long?, double?, decimal?, DateTimeOffset, DateTimeOffset?, the open enums) and runs every member through
/// several of them, so a fresh process spends much of a short listing compiling and re-compiling them; this pass
/// is a few methods of the SDK's own. It gives up (returns false) on anything it does not read exactly as the
/// serializer does: the caller then reads the page as before (<see cref="TolerantJson"/>), so errors, their paths and
/// the tolerant reading of unreadable members stay the serializer's.
/// </summary>
internal static class RequestsPageReader
{
    private static readonly LenientInt32Converter Int32 = new();
    private static readonly LenientInt64Converter Int64 = new();
    private static readonly LenientDecimalConverter Decimal = new();
    private static readonly LenientNullableDoubleConverter Double = new();
    private static readonly LenientCreatedConverter Created = new();
    private static readonly LenientDateTimeOffsetConverter Time = new();
    private static readonly LenientStringListConverter Strings = new();
    private static readonly CachedStringConverter Cached = new();
    private static readonly RawJsonConverter Raw = new();
    private static readonly RequestCallbackConverter Callback = new();
    private static readonly OpenEnumJsonConverter<Deployment> Deployments = new();
    private static readonly OpenEnumJsonConverter<ProcessingMethod> Methods = new();

    /// <summary>Thrown inside the pass when the page has something it leaves to the serializer.</summary>
    private sealed class GiveUp : Exception;

    /// <summary>Reads the page; false when the caller must read it with the serializer instead.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, JsonSerializerOptions options, out RequestsPageBody? body)
    {
        body = null;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            body = ReadPage(ref reader, options);
            if (reader.Read())
            {
                body = null; // trailing data: the serializer says what is wrong with it
                return false;
            }
            return true;
        }
        catch (Exception)
        {
            // Not read as the serializer would (or not readable at all): the serializer reads it and reports it.
            body = null;
            return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RequestsPageBody ReadPage(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var page = new RequestsPageBody();
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("requests"u8))
            {
                reader.Read();
                page.Requests = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.StartArray => ReadRequests(ref reader, options),
                    _ => throw new GiveUp(),
                };
            }
            else if (reader.ValueTextEquals("page"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                page.Page = Int32.Read(ref reader, typeof(int?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("limit"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                page.Limit = Int32.Read(ref reader, typeof(int?), options);
                Verify(ref reader, at);
            }
            else
            {
                reader.Read();
                reader.Skip(); // the page has no extension data: unknown members are skipped
            }
        }
        return page;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<UsageRequest> ReadRequests(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var list = new List<UsageRequest>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.TokenType switch
            {
                JsonTokenType.Null => null!, // kept, counted in RawCount and dropped later, as from the serializer
                JsonTokenType.StartObject => ReadRequest(ref reader, options),
                _ => throw new GiveUp(),
            });
        }
        return list;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static UsageRequest ReadRequest(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var r = new UsageRequest();
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("request_id"u8))
            {
                reader.Read();
                r.RequestId = String(ref reader);
            }
            else if (reader.ValueTextEquals("project_uuid"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                r.ProjectId = Cached.Read(ref reader, typeof(string), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                r.Created = Created.Read(ref reader, typeof(DateTimeOffset), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("path"u8))
            {
                reader.Read();
                r.Path = String(ref reader);
            }
            else if (reader.ValueTextEquals("api_key_id"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                r.ApiKeyId = Cached.Read(ref reader, typeof(string), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("accessor"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                r.Accessor = Cached.Read(ref reader, typeof(string), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("deployment"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    r.Deployment = null;
                }
                else
                {
                    var at = new Start(ref reader);
                    r.Deployment = Deployments.Read(ref reader, typeof(Deployment), options);
                    Verify(ref reader, at);
                }
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                r.Code = Int32.Read(ref reader, typeof(int?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                reader.Read();
                r.Response = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.StartObject => ReadResponse(ref reader, options),
                    _ => throw new GiveUp(),
                };
            }
            else if (reader.ValueTextEquals("callback"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    r.Callback = null;
                }
                else
                {
                    var at = new Start(ref reader);
                    r.Callback = Callback.Read(ref reader, typeof(RequestCallback), options);
                    Verify(ref reader, at);
                }
            }
            else
            {
                r.ExtensionData = Extension(r.ExtensionData, ref reader);
            }
        }
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RequestResponse ReadResponse(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var r = new RequestResponse();
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("details"u8))
            {
                reader.Read();
                r.Details = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.StartObject => ReadDetails(ref reader, options),
                    _ => throw new GiveUp(),
                };
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                r.Code = Int32.Read(ref reader, typeof(int?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("completed"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                r.Completed = Time.Read(ref reader, typeof(DateTimeOffset?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                r.Message = String(ref reader);
            }
            else if (reader.ValueTextEquals("token_details"u8))
            {
                reader.Read();
                r.TokenDetails = reader.TokenType switch
                {
                    JsonTokenType.Null => null!,
                    JsonTokenType.StartArray => ReadTokenDetails(ref reader, options),
                    _ => throw new GiveUp(),
                };
            }
            else if (reader.ValueTextEquals("tts_details"u8))
            {
                reader.Read();
                r.TtsDetails = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.StartObject => ReadTts(ref reader, options),
                    _ => throw new GiveUp(),
                };
            }
            else
            {
                r.ExtensionData = Extension(r.ExtensionData, ref reader);
            }
        }
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RequestDetails ReadDetails(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var d = new RequestDetails();
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("usd"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Usd = Decimal.Read(ref reader, typeof(decimal?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("duration"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Duration = Double.Read(ref reader, typeof(double?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("total_audio"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.TotalAudio = Double.Read(ref reader, typeof(double?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("channels"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Channels = Int32.Read(ref reader, typeof(int?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("streams"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Streams = Int32.Read(ref reader, typeof(int?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("models"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Models = Strings.Read(ref reader, typeof(IReadOnlyList<string>), options)!;
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    d.Method = null;
                }
                else
                {
                    var at = new Start(ref reader);
                    d.Method = Methods.Read(ref reader, typeof(ProcessingMethod), options);
                    Verify(ref reader, at);
                }
            }
            else if (reader.ValueTextEquals("tier"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Tier = Cached.Read(ref reader, typeof(string), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Tags = Strings.Read(ref reader, typeof(IReadOnlyList<string>), options)!;
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("features"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                d.Features = Strings.Read(ref reader, typeof(IReadOnlyList<string>), options)!;
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("config"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    d.ConfigJson = null;
                }
                else
                {
                    var at = new Start(ref reader);
                    d.ConfigJson = Raw.Read(ref reader, typeof(RawJson), options);
                    Verify(ref reader, at);
                }
            }
            else
            {
                d.ExtensionData = Extension(d.ExtensionData, ref reader);
            }
        }
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<TokenDetail> ReadTokenDetails(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var list = new List<TokenDetail>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                list.Add(null!); // the property's setter drops it, as after the serializer
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new GiveUp();
            }
            var t = new TokenDetail();
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("feature"u8))
                {
                    reader.Read();
                    var at = new Start(ref reader);
                    t.Feature = Cached.Read(ref reader, typeof(string), options);
                    Verify(ref reader, at);
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    reader.Read();
                    var at = new Start(ref reader);
                    t.Input = Int64.Read(ref reader, typeof(long?), options);
                    Verify(ref reader, at);
                }
                else if (reader.ValueTextEquals("output"u8))
                {
                    reader.Read();
                    var at = new Start(ref reader);
                    t.Output = Int64.Read(ref reader, typeof(long?), options);
                    Verify(ref reader, at);
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    var at = new Start(ref reader);
                    t.Model = Cached.Read(ref reader, typeof(string), options);
                    Verify(ref reader, at);
                }
                else
                {
                    reader.Read();
                    reader.Skip(); // no extension data
                }
            }
            list.Add(t);
        }
        return list;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TtsDetails ReadTts(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var tts = new TtsDetails();
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("duration"u8))
            {
                reader.Read();
                var at = new Start(ref reader);
                tts.Duration = Double.Read(ref reader, typeof(double?), options);
                Verify(ref reader, at);
            }
            else if (reader.ValueTextEquals("speech_segments"u8))
            {
                reader.Read();
                tts.SpeechSegments = reader.TokenType switch
                {
                    JsonTokenType.Null => null!,
                    JsonTokenType.StartArray => ReadSegments(ref reader, options),
                    _ => throw new GiveUp(),
                };
            }
            else
            {
                reader.Read();
                reader.Skip(); // no extension data
            }
        }
        return tts;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<SpeechSegment> ReadSegments(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var list = new List<SpeechSegment>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                list.Add(null!);
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new GiveUp();
            }
            var s = new SpeechSegment();
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("characters"u8))
                {
                    reader.Read();
                    var at = new Start(ref reader);
                    s.Characters = Int32.Read(ref reader, typeof(int?), options);
                    Verify(ref reader, at);
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    var at = new Start(ref reader);
                    s.Model = Cached.Read(ref reader, typeof(string), options);
                    Verify(ref reader, at);
                }
                else if (reader.ValueTextEquals("tier"u8))
                {
                    reader.Read();
                    var at = new Start(ref reader);
                    s.Tier = Cached.Read(ref reader, typeof(string), options);
                    Verify(ref reader, at);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            list.Add(s);
        }
        return list;
    }

    /// <summary>
    /// Moves to the next member name of the current object; false at its end. An escaped name is left to the
    /// serializer (it matches names after unescaping them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NextMember(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }
        if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
        {
            throw new GiveUp();
        }
        return true;
    }

    /// <summary>A string member without a converter: the serializer's own string reading (null, or a string token).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw new GiveUp(),
    };

    /// <summary>Where a converter started: its token, depth and position.</summary>
    private readonly struct Start(ref Utf8JsonReader reader)
    {
        public readonly JsonTokenType Token = reader.TokenType;
        public readonly int Depth = reader.CurrentDepth;
        public readonly long Consumed = reader.BytesConsumed;
    }

    /// <summary>
    /// Checks a converter as the serializer does: a value converter ends on the last token of the value it started on
    /// (the end of its object or array at the same depth, or the same token for anything else). Not generic, so no
    /// method is compiled per value type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Verify(ref Utf8JsonReader reader, in Start start)
    {
        var ended = start.Token switch
        {
            JsonTokenType.StartObject => reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == start.Depth,
            JsonTokenType.StartArray => reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == start.Depth,
            _ => reader.BytesConsumed == start.Consumed,
        };
        if (!ended)
        {
            throw new GiveUp();
        }
    }

    /// <summary>An unknown member of a type with extension data: kept as the serializer keeps it (the last of a name wins).</summary>
    private static Dictionary<string, JsonElement> Extension(Dictionary<string, JsonElement>? data, ref Utf8JsonReader reader)
    {
        // The names of the models' ignored and internal members: the serializer skips some of them instead of keeping
        // them, so they are left to it (none of them is a member the API sends).
        if (reader.ValueTextEquals("state"u8) || reader.ValueTextEquals("effective_code"u8) || reader.ValueTextEquals("additional_properties"u8)
            || reader.ValueTextEquals("unreadable_members"u8) || reader.ValueTextEquals("unreadable"u8) || reader.ValueTextEquals("extension_data"u8)
            || reader.ValueTextEquals("is_empty"u8))
        {
            throw new GiveUp();
        }
        var name = reader.GetString()!;
        reader.Read();
        data ??= [];
        data[name] = JsonElement.ParseValue(ref reader);
        return data;
    }
}
