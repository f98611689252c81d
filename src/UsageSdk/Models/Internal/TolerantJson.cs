using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UsageSdk.Internal;

/// <summary>
/// Reads request logs so that one unreadable member (a <c>usd</c> of <c>1e400</c>, a <c>code</c> of <c>1.1</c>, an
/// unparseable <c>created</c>) costs that member only, not the item or the page. The typed read runs first; only when
/// it fails is the body parsed as a document and each item read on its own: a member whose read fails is left out
/// (its typed property stays null) and kept raw in <see cref="UsageRequest.UnreadableMembers"/>, and the item is read
/// again, until it reads. Bodies that are not valid JSON, or not of the page's shape, fail as before.
/// </summary>
internal static class TolerantJson
{
    /// <summary>
    /// Reads a page of <c>/requests</c> with <see cref="RequestsPageReader"/> (the same objects, without the serializer's
    /// metadata), or with the serializer and <paramref name="json"/> for what that reader leaves to it. The context's
    /// type information is only made then: making it compiles much of what a fresh process spends its first page on.
    /// </summary>
    public static RequestsPageBody ReadRequestsPage(ReadOnlyMemory<byte> utf8, WireJsonContext json)
        => RequestsPageReader.TryRead(utf8.Span, json.Options, out var page) ? page! : ReadRequestsPage(utf8, json.RequestsPageBody, json.UsageRequest);

    /// <summary>Reads a page of <c>/requests</c> with the serializer; <see cref="RequestsPageBody.Unreadable"/> counts what was left out.</summary>
    public static RequestsPageBody ReadRequestsPage(ReadOnlyMemory<byte> utf8, JsonTypeInfo<RequestsPageBody> pageInfo, JsonTypeInfo<UsageRequest> itemInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8.Span, pageInfo)!;
        }
        catch (JsonException first)
        {
            using var doc = ParseOrRethrow(utf8, pageInfo.Options, first);
            var root = doc.RootElement;
            JsonElement? requests = null;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in root.EnumerateObject())
                {
                    if (p.NameEquals("requests"u8))
                    {
                        requests = p.Value; // the last one, as the typed read takes it
                    }
                }
            }
            if (root.ValueKind != JsonValueKind.Object || requests is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Null) })
            {
                ExceptionDispatchInfo.Throw(first); // not a page: nothing to keep
            }
            Dictionary<string, JsonElement>? pageProblems = null;
            var body = Read(root, pageInfo, ref pageProblems, skip: "requests");
            if (body is null)
            {
                ExceptionDispatchInfo.Throw(first);
            }
            body.Unreadable = pageProblems?.Count ?? 0;
            body.FirstUnreadable = pageProblems?.Keys.First();
            if (requests is { ValueKind: JsonValueKind.Array } array)
            {
                var items = new List<UsageRequest>(array.GetArrayLength());
                foreach (var element in array.EnumerateArray())
                {
                    var item = element.ValueKind == JsonValueKind.Null ? null : ReadItem(element, itemInfo);
                    if (element.ValueKind != JsonValueKind.Null && item is null)
                    {
                        // Not a request object, or one that does not read at all: counted, and dropped like a null item.
                        body.Unreadable++;
                        body.FirstUnreadable ??= "requests[" + items.Count + "]";
                    }
                    else if (item is { Unreadable: { } problems })
                    {
                        body.Unreadable += problems.Count;
                        body.FirstUnreadable ??= "requests[" + items.Count + "]." + problems.Keys.First();
                    }
                    items.Add(item!);
                }
                body.Requests = items;
            }
            return body;
        }
    }

    /// <summary>Reads one request log (the body of <c>GET …/requests/{id}</c>, or a stored one); members that do not read are kept raw.</summary>
    public static UsageRequest ReadRequest(JsonElement element, JsonTypeInfo<UsageRequest> typeInfo)
    {
        try
        {
            return element.Deserialize(typeInfo) ?? throw new JsonException("The request was null.");
        }
        catch (JsonException first) when (element.ValueKind == JsonValueKind.Object)
        {
            var r = ReadItem(element, typeInfo);
            if (r is null)
            {
                ExceptionDispatchInfo.Throw(first);
            }
            return r;
        }
    }

    private static UsageRequest? ReadItem(JsonElement element, JsonTypeInfo<UsageRequest> typeInfo)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        Dictionary<string, JsonElement>? problems = null;
        var r = Read(element, typeInfo, ref problems, skip: null);
        if (r is not null && problems is not null)
        {
            r.Unreadable = problems;
        }
        return r;
    }

    private static JsonDocument ParseOrRethrow(ReadOnlyMemory<byte> utf8, JsonSerializerOptions options, JsonException first)
    {
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = options.MaxDepth });
        }
        catch (JsonException)
        {
            ExceptionDispatchInfo.Throw(first); // truncated or malformed: the caller's handling (a body retry) stays as it was
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="element"/>, leaving out each member the read fails on (found by the exception's path) and
    /// reading again; null when a failure cannot be pinned on a member. Each round leaves out one more member, so this ends.
    /// </summary>
    private static T? Read<T>(JsonElement element, JsonTypeInfo<T> typeInfo, ref Dictionary<string, JsonElement>? problems, string? skip) where T : class
    {
        List<object[]>? excluded = skip is null ? null : [[skip]];
        while (true)
        {
            JsonException failure;
            try
            {
                return excluded is null ? element.Deserialize(typeInfo) : JsonSerializer.Deserialize(Without(element, excluded), typeInfo);
            }
            catch (JsonException e)
            {
                failure = e;
            }
            if (ParsePath(failure.Path) is not { Length: > 0 } path || Find(element, path) is not { } value
                || (excluded ??= []).Exists(x => x.AsSpan().SequenceEqual(path)))
            {
                return null;
            }
            excluded.Add(path);
            (problems ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[Format(path)] = value.Clone();
        }
    }

    /// <summary>The segments of an exception path such as <c>$.response.token_details[0].input</c> or <c>$['a b']</c>: names (string) and indexes (int).</summary>
    internal static object[]? ParsePath(string? path)
    {
        if (path is null || path.Length == 0 || path[0] != '$')
        {
            return null;
        }
        var segments = new List<object>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var name = new System.Text.StringBuilder();
                i += 2;
                while (i < path.Length && !path.AsSpan(i).StartsWith("']"))
                {
                    if (path[i] == '\\' && i + 1 < path.Length)
                    {
                        i++;
                    }
                    name.Append(path[i++]);
                }
                if (i >= path.Length)
                {
                    return null;
                }
                segments.Add(name.ToString());
                i += 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }
                segments.Add(index);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return [.. segments];
    }

    /// <summary>A path as <see cref="UsageRequest.UnreadableMembers"/> names it: <c>response.details.usd</c>, <c>response.token_details[0].input</c>.</summary>
    private static string Format(object[] path)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in path)
        {
            if (s is int index)
            {
                sb.Append('[').Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                sb.Append(sb.Length > 0 ? "." : "").Append((string)s);
            }
        }
        return sb.ToString();
    }

    private static JsonElement? Find(JsonElement element, object[] path)
    {
        foreach (var s in path)
        {
            if (s is int index)
            {
                if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength())
                {
                    return null;
                }
                element = element[index];
            }
            else
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }
                JsonElement? found = null;
                foreach (var p in element.EnumerateObject())
                {
                    if (p.NameEquals((string)s))
                    {
                        found = p.Value; // the last one, as the typed read takes it
                    }
                }
                if (found is not { } f)
                {
                    return null;
                }
                element = f;
            }
        }
        return element;
    }

    /// <summary>The element's JSON without the excluded members (left out of objects; null in arrays, so indexes keep their meaning).</summary>
    private static byte[] Without(JsonElement element, List<object[]> excluded)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, element, [], excluded);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, List<object> path, List<object[]> excluded)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in element.EnumerateObject())
                {
                    path.Add(p.Name);
                    if (!IsExcluded(path, excluded))
                    {
                        writer.WritePropertyName(p.Name);
                        Write(writer, p.Value, path, excluded);
                    }
                    path.RemoveAt(path.Count - 1);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add(i++);
                    if (IsExcluded(path, excluded))
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        Write(writer, item, path, excluded);
                    }
                    path.RemoveAt(path.Count - 1);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer); // numbers keep their text, strings their value
                break;
        }
    }

    private static bool IsExcluded(List<object> path, List<object[]> excluded)
    {
        foreach (var x in excluded)
        {
            if (x.Length == path.Count && x.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(path)))
            {
                return true;
            }
        }
        return false;
    }
}
