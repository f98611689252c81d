using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace UsageSdk.Testing;

public sealed partial class FakeUsageApi
{
    private static readonly string[] RequestFilterKeys = ["accessor", "request_id", "deployment", "endpoint", "method"];
    private static readonly string[] UsageListKeys = ["accessor", "tag", "model", "method", "deployment", "endpoint"];
    private static readonly string[] Groupings = ["accessor", "endpoint", "feature_set", "models", "method", "tags", "deployment"];

    /// <summary>A failure that becomes an error response.</summary>
    private sealed class ApiError(int status, string code, string category, string message, string? details = null) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
        public string Category { get; } = category;
        public string? Details { get; } = details;
        public bool ForceText { get; init; }
    }

    private static ApiError BadRequest(string message, string? details = null)
        => new(400, "INVALID_QUERY_PARAMETER", "INVALID_REQUEST", message, details);

    private HttpResponseMessage Handle(HttpMethod method, Uri uri, AuthenticationHeaderValue? auth, string requestId)
    {
        try
        {
            CheckAuth(auth);
            if (method != HttpMethod.Get)
            {
                throw new ApiError(405, "METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED", $"Method {method} is not allowed; the usage endpoints take GET.");
            }
            var segments = uri.AbsolutePath.Trim('/').Split('/');
            if (segments.Length < 2 || segments[0] != "v1" || segments[1] != "projects")
            {
                throw new ApiError(404, "NOT_FOUND", "NOT_FOUND", $"No route for {uri.AbsolutePath}.");
            }
            var query = FakeQueryString.Parse(uri.Query);
            if (segments.Length == 2)
            {
                return Json(WriteProjects());
            }
            var projectId = Uri.UnescapeDataString(segments[2]);
            var route = string.Join('/', segments.Skip(3));
            var project = Project(projectId);
            return route switch
            {
                "" => Json(WriteProject(project)),
                "requests" => Json(WriteRequestsPage(project, query)),
                "usage" => Json(WriteSummary(project, query)),
                "usage/breakdown" => Json(WriteBreakdown(project, query)),
                "usage/fields" => Json(WriteFields(project, query)),
                "keys" => Json(WriteKeys(project, query)),
                "models" => Json(WriteModels(query)),
                "billing/breakdown" => Json(WriteBillingBreakdown(project, query)),
                "billing/fields" => Json(WriteBillingFields(project, query)),
                "balances" => Json(WriteBalances(project)),
                _ when segments.Length == 5 && segments[3] == "requests" => Json(WriteSingle(project, Uri.UnescapeDataString(segments[4]))),
                _ when segments.Length == 5 && segments[3] == "balances" => Json(WriteBalance(project, Uri.UnescapeDataString(segments[4]))),
                _ => throw new ApiError(404, "NOT_FOUND", "NOT_FOUND", $"No route for {uri.AbsolutePath}."),
            };
        }
        catch (ApiError e)
        {
            return ErrorResponse(e, requestId);
        }
    }

    private void CheckAuth(AuthenticationHeaderValue? auth)
    {
        if (auth is null || string.IsNullOrWhiteSpace(auth.Parameter))
        {
            throw new ApiError(401, "INVALID_AUTH", "UNAUTHORIZED", "Invalid credentials.", "The request has no Authorization header; send 'Authorization: Token <API key>'.");
        }
        if (!auth.Scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) && !auth.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiError(401, "INVALID_AUTH", "UNAUTHORIZED", "Invalid credentials.", $"Unknown authorization scheme '{auth.Scheme}'; use Token or Bearer.");
        }
        if (_acceptedKeys is not null && !_acceptedKeys.Contains(auth.Parameter, StringComparer.Ordinal))
        {
            throw new ApiError(401, "INVALID_AUTH", "UNAUTHORIZED", "Invalid credentials.");
        }
    }

    private ProjectData Project(string projectId)
    {
        if (!Guid.TryParse(projectId, out _))
        {
            // The API answers this one in text/plain whatever the other errors look like.
            throw new ApiError(404, "NOT_FOUND", "NOT_FOUND", $"UUID parsing failed: invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `{projectId.FirstOrDefault(c => !Uri.IsHexDigit(c) && c != '-')}` at 1") { ForceText = true };
        }
        lock (_gate)
        {
            return _projects.TryGetValue(projectId, out var p)
                ? p
                : throw new ApiError(404, "PROJECT_NOT_FOUND", "NOT_FOUND", "Project not found.", "A project with the submitted ID cannot be found.");
        }
    }

    // ------------------------------------------------------------------ /requests

    private byte[] WriteRequestsPage(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var limit = ReadInt(query, "limit", 10);
        if (limit is < 1 or > 1000)
        {
            throw BadRequest($"limit must be between 1 and 1000; got {limit}.");
        }
        var page = ReadInt(query, "page", 0);
        if (page < 0)
        {
            throw BadRequest($"page must be 0 or more; got {page}.");
        }
        var now = _time.GetUtcNow();
        var start = ReadTime(query, "start", endOfDay: false);
        var end = ReadTime(query, "end", endOfDay: true) ?? now;
        var retention = now.AddDays(-RetentionDays);
        var status = Single(query, "status");
        if (status is not null && status is not ("succeeded" or "failed"))
        {
            throw BadRequest($"status must be succeeded or failed; got '{status}'.");
        }
        var sets = RequestFilterKeys.ToDictionary(k => k, k => Values(query, k));
        CheckEnum(sets["deployment"], "deployment", "hosted", "beta", "self-hosted");
        CheckEnum(sets["endpoint"], "endpoint", "listen", "read", "speak", "agent");
        CheckEnum(sets["method"], "method", "sync", "async", "streaming");

        // The requests are kept newest first: the time window is a slice found by binary search, and without other
        // filters a page is a sub-slice, so a listing costs O(pages), not O(pages x requests).
        var all = project.Requests;
        var lowest = start is { } st && st > retention ? st : retention;
        var from = FirstBefore(all, end, orAt: true);
        var to = Math.Max(from, FirstBefore(all, lowest, orAt: false));
        var skip = (long)page * limit;
        IEnumerable<UsageRequest> pageItems;
        if (sets.Values.All(v => v.Count == 0) && status is null)
        {
            var first = (int)Math.Min(to, from + skip);
            pageItems = new ArraySegment<UsageRequest>(all, first, Math.Min(limit, to - first));
        }
        else
        {
            pageItems = new ArraySegment<UsageRequest>(all, from, to - from).Where(r =>
                Matches(sets["accessor"], r.Accessor)
                && Matches(sets["request_id"], r.RequestId)
                && Matches(sets["deployment"], r.Deployment?.ToString())
                && Matches(sets["endpoint"], EndpointOf(r))
                && Matches(sets["method"], r.Response?.Details?.Method?.ToString())
                && (status is null || (status == "succeeded" ? r.EffectiveCode is < 300 : r.EffectiveCode is >= 400)))
                .Skip((int)Math.Min(int.MaxValue, skip)).Take(limit);
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("page", page);
            w.WriteNumber("limit", limit);
            w.WriteStartArray("requests");
            foreach (var r in pageItems)
            {
                w.WriteRawValue(WireBytes(r), skipInputValidation: true);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The index of the first request (newest first) created before <paramref name="time"/>, or at it when
    /// <paramref name="orAt"/> is set: a binary search, as the requests are sorted by creation time.
    /// </summary>
    private static int FirstBefore(UsageRequest[] newestFirst, DateTimeOffset time, bool orAt)
    {
        int lo = 0, hi = newestFirst.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var created = newestFirst[mid].Created;
            if (created > time || (created == time && !orAt))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private byte[] WriteSingle(ProjectData project, string requestId)
    {
        var retention = _time.GetUtcNow().AddDays(-RetentionDays);
        var r = project.Requests.FirstOrDefault(x => x.RequestId == requestId && x.Created >= retention)
            ?? throw new ApiError(404, "REQUEST_NOT_FOUND", "NOT_FOUND", "Request not found.", $"No request '{requestId}' in this project.");
        var bytes = WireBytes(r);
        if (!WrapSingleRequest)
        {
            return bytes;
        }
        return [.. "{\"request\":"u8, .. bytes, (byte)'}'];
    }

    /// <summary>The request in the wire's shape: <c>created</c> with microseconds and <c>Z</c>, <c>response</c> <c>null</c> or <c>{}</c> while pending, empty lists left out. Cached.</summary>
    private byte[] WireBytes(UsageRequest r) => _wireCache.GetValue(r, static r =>
    {
        var raw = JsonSerializer.SerializeToUtf8Bytes(r, UsageJson.UsageRequest);
        using var doc = JsonDocument.Parse(raw);
        using var buffer = new MemoryStream(raw.Length + 32);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            var wroteResponse = false;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "created":
                        w.WriteString("created", r.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                        break;
                    case "response":
                        wroteResponse = true;
                        w.WritePropertyName("response");
                        if (r.Response is null || r.Response.IsEmpty)
                        {
                            w.WriteStartObject();
                            w.WriteEndObject();
                        }
                        else
                        {
                            WriteWithoutEmptyArrays(w, p.Value);
                        }
                        break;
                    case "callback" when p.Value.ValueKind == JsonValueKind.Object:
                        w.WritePropertyName("callback");
                        WriteWithoutEmptyArrays(w, p.Value);
                        break;
                    default:
                        p.WriteTo(w);
                        break;
                }
            }
            if (!wroteResponse)
            {
                w.WriteNull("response");
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    });

    /// <summary>Copies an object, leaving out an empty <c>token_details</c> and writing every <c>completed</c> time as the API does (microseconds, <c>Z</c>).</summary>
    private static void WriteWithoutEmptyArrays(Utf8JsonWriter w, JsonElement obj)
    {
        w.WriteStartObject();
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 0 && p.Name is "token_details")
            {
                continue;
            }
            if (p.Name == "completed" && p.Value.ValueKind == JsonValueKind.String && p.Value.TryGetDateTimeOffset(out var t))
            {
                w.WriteString("completed", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                continue;
            }
            if (p.Value.ValueKind == JsonValueKind.Object && p.Name is "callback")
            {
                w.WritePropertyName(p.Name);
                WriteWithoutEmptyArrays(w, p.Value);
                continue;
            }
            p.WriteTo(w);
        }
        w.WriteEndObject();
    }

    internal static string? EndpointOf(UsageRequest r) => Endpoint.FromPath(r.Path)?.ToString();

    // ------------------------------------------------------------------ /usage, /usage/breakdown, /usage/fields

    private sealed record UsageFilter(DateOnly Start, DateOnly End, Dictionary<string, List<string>> Lists, List<string> FeaturesOn, List<string> FeaturesOff);

    private UsageFilter ReadUsageFilter(ProjectData project, List<KeyValuePair<string, string>> query, params string[] otherKeys)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var start = ReadDate(query, "start");
        var end = ReadDate(query, "end") ?? today;
        start ??= project.Requests.Length == 0 ? end : DateOnly.FromDateTime(project.Requests[^1].Created.UtcDateTime);
        if (start > end)
        {
            throw BadRequest($"start ({start:yyyy-MM-dd}) is after end ({end:yyyy-MM-dd}).");
        }
        var lists = UsageListKeys.ToDictionary(k => k, k => Values(query, k));
        CheckEnum(lists["deployment"], "deployment", "hosted", "beta", "self-hosted");
        CheckEnum(lists["endpoint"], "endpoint", "listen", "read", "speak", "agent");
        CheckEnum(lists["method"], "method", "sync", "async", "streaming");
        var on = new List<string>();
        var off = new List<string>();
        foreach (var (key, value) in query)
        {
            if (key is "start" or "end" || UsageListKeys.Contains(key) || otherKeys.Contains(key))
            {
                continue;
            }
            // The API treats every other parameter as a feature filter.
            if (bool.TryParse(value, out var b))
            {
                (b ? on : off).Add(key);
            }
            else
            {
                throw BadRequest($"{key} must be true or false; got '{value}'.");
            }
        }
        return new UsageFilter(start.Value, end, lists, on, off);
    }

    private static IEnumerable<UsageRequest> Usage(ProjectData project, UsageFilter f) => project.Requests.Where(r =>
    {
        var d = r.Response?.Details;
        if (d is null)
        {
            return false;
        }
        var day = DateOnly.FromDateTime(r.Created.UtcDateTime);
        return day >= f.Start && day <= f.End
            && Matches(f.Lists["accessor"], r.Accessor)
            && MatchesAny(f.Lists["tag"], d.Tags)
            && MatchesAny(f.Lists["model"], d.Models)
            && Matches(f.Lists["method"], d.Method?.ToString())
            && Matches(f.Lists["deployment"], r.Deployment?.ToString())
            && Matches(f.Lists["endpoint"], EndpointOf(r))
            && (f.FeaturesOn.Count == 0 || f.FeaturesOn.Any(x => d.Features.Contains(x, StringComparer.OrdinalIgnoreCase)))
            && !f.FeaturesOff.Any(x => d.Features.Contains(x, StringComparer.OrdinalIgnoreCase));
    });

    private sealed class Totals
    {
        public double Hours;
        public double TotalHours;
        public double AgentHours;
        public long Requests;
        public long TokensIn;
        public long TokensOut;
        public long TtsCharacters;
        public long TtsRequests;

        public void Add(UsageRequest r)
        {
            var d = r.Response!.Details!;
            Requests++;
            var seconds = d.Duration ?? 0;
            if (EndpointOf(r) == "agent")
            {
                AgentHours += seconds / 3600;
            }
            else
            {
                Hours += seconds / 3600;
            }
            TotalHours += (d.TotalAudio ?? seconds) / 3600;
            foreach (var t in r.Response.TokenDetails)
            {
                TokensIn += t.Input ?? 0;
                TokensOut += t.Output ?? 0;
            }
            if (r.Response.TtsDetails is { } tts)
            {
                TtsCharacters += tts.Characters;
                TtsRequests++;
            }
        }
    }

    private byte[] WriteSummary(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var f = ReadUsageFilter(project, query);
        var days = new SortedDictionary<DateOnly, Totals>();
        for (var d = f.Start; d <= f.End; d = d.AddDays(1))
        {
            days[d] = new Totals();
        }
        foreach (var r in Usage(project, f))
        {
            days[DateOnly.FromDateTime(r.Created.UtcDateTime)].Add(r);
        }
        return Write(w =>
        {
            WriteRange(w, f);
            w.WriteStartArray("results");
            foreach (var (day, t) in days)
            {
                w.WriteStartObject();
                w.WriteString("start", Day(day));
                w.WriteString("end", Day(day));
                w.WriteNumber("hours", Math.Round(t.Hours, 9));
                w.WriteNumber("total_hours", Math.Round(t.TotalHours, 9));
                w.WriteNumber("requests", t.Requests);
                w.WriteStartObject("tokens");
                w.WriteNumber("in", t.TokensIn);
                w.WriteNumber("out", t.TokensOut);
                w.WriteEndObject();
                w.WriteStartObject("tts");
                w.WriteNumber("characters", t.TtsCharacters);
                w.WriteNumber("requests", t.TtsRequests);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private byte[] WriteBreakdown(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var grouping = Single(query, "grouping");
        grouping = grouping switch
        {
            null or "" => null,
            "model" => "models",
            "tag" => "tags",
            _ when Groupings.Contains(grouping) => grouping,
            _ => throw BadRequest($"grouping must be one of {string.Join(", ", Groupings)}; got '{grouping}'."),
        };
        var f = ReadUsageFilter(project, query, "grouping");
        var buckets = new SortedDictionary<(DateOnly Day, string Key), (Totals Totals, UsageRequest Sample)>(Comparer<(DateOnly Day, string Key)>.Create((a, b) =>
        {
            var c = a.Day.CompareTo(b.Day);
            return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
        }));
        if (grouping is null)
        {
            for (var d = f.Start; d <= f.End; d = d.AddDays(1))
            {
                buckets[(d, "")] = (new Totals(), null!);
            }
        }
        foreach (var r in Usage(project, f))
        {
            var key = (DateOnly.FromDateTime(r.Created.UtcDateTime), GroupKey(r, grouping));
            if (!buckets.TryGetValue(key, out var b))
            {
                b = (new Totals(), r);
                buckets[key] = b;
            }
            b.Totals.Add(r);
        }
        return Write(w =>
        {
            WriteRange(w, f);
            w.WriteStartArray("results");
            foreach (var ((day, _), (t, sample)) in buckets)
            {
                var d = sample?.Response?.Details;
                w.WriteStartObject();
                w.WriteNumber("hours", Math.Round(t.Hours, 9));
                w.WriteNumber("total_hours", Math.Round(t.TotalHours, 9));
                w.WriteNumber("agent_hours", Math.Round(t.AgentHours, 9));
                w.WriteNumber("tokens_in", t.TokensIn);
                w.WriteNumber("tokens_out", t.TokensOut);
                w.WriteNumber("tts_characters", t.TtsCharacters);
                w.WriteNumber("requests", t.Requests);
                w.WriteStartObject("grouping");
                w.WriteString("start", Day(day));
                w.WriteString("end", Day(day));
                WriteStringOrNull(w, "accessor", grouping == "accessor" ? sample!.Accessor : null);
                WriteStringOrNull(w, "endpoint", grouping == "endpoint" ? EndpointOf(sample!) : null);
                WriteStringOrNull(w, "feature_set", grouping == "feature_set" ? FeatureSet(d!) : null);
                WriteListOrNull(w, "models", grouping == "models" ? d!.Models : null);
                WriteStringOrNull(w, "method", grouping == "method" ? d!.Method?.ToString() : null);
                WriteListOrNull(w, "tags", grouping == "tags" ? d!.Tags : null);
                WriteStringOrNull(w, "deployment", grouping == "deployment" ? sample!.Deployment?.ToString() : null);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static string GroupKey(UsageRequest r, string? grouping)
    {
        var d = r.Response!.Details!;
        return grouping switch
        {
            null => "",
            "accessor" => r.Accessor ?? "",
            "endpoint" => EndpointOf(r) ?? "",
            "feature_set" => FeatureSet(d),
            "models" => string.Join('\u001f', d.Models),
            "method" => d.Method?.ToString() ?? "",
            "tags" => string.Join('\u001f', d.Tags),
            _ => r.Deployment?.ToString() ?? "",
        };
    }

    private static string FeatureSet(RequestDetails d) => string.Join(",", d.Features.Order(StringComparer.Ordinal));

    private byte[] WriteFields(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var start = ReadDate(query, "start");
        var end = ReadDate(query, "end") ?? today;
        if (start > end)
        {
            throw BadRequest($"start ({start:yyyy-MM-dd}) is after end ({end:yyyy-MM-dd}).");
        }
        var details = project.Requests
            .Where(r => r.Response?.Details is not null)
            .Where(r => DateOnly.FromDateTime(r.Created.UtcDateTime) is var day && day <= end && (start is null || day >= start))
            .Select(r => r.Response!.Details!)
            .ToList();
        var models = details.SelectMany(d => d.Models).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return Write(w =>
        {
            WriteList(w, "tags", details.SelectMany(d => d.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            w.WriteStartArray("models");
            foreach (var id in models)
            {
                var m = FakeDataGenerator.Models.FirstOrDefault(x => x.ModelId == id);
                w.WriteStartObject();
                w.WriteString("name", m?.Name ?? id);
                w.WriteString("language", m?.Language ?? "en");
                w.WriteString("version", m?.Version ?? "unknown");
                w.WriteString("model_id", id);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteList(w, "processing_methods", details.Select(d => d.Method?.ToString()).OfType<string>().Distinct().Order(StringComparer.Ordinal));
            WriteList(w, "languages", details.Select(d => d.GetConfigString("language")).OfType<string>().Distinct().Order(StringComparer.Ordinal));
            WriteList(w, "features", details.SelectMany(d => d.Features).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        });
    }

    // ------------------------------------------------------------------ helpers

    private static void WriteRange(Utf8JsonWriter w, UsageFilter f)
    {
        w.WriteString("start", Day(f.Start));
        w.WriteString("end", Day(f.End));
        w.WriteStartObject("resolution");
        w.WriteString("units", "day");
        w.WriteNumber("amount", 1);
        w.WriteEndObject();
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteListOrNull(Utf8JsonWriter w, string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
        }
        else
        {
            WriteList(w, name, values);
        }
    }

    private static void WriteList(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static HttpResponseMessage Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private HttpResponseMessage FaultResponse(FakeFault fault, string requestId)
    {
        var (code, category, message) = fault.Status switch
        {
            429 => ("TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS", "Too many requests. Please try again later"),
            408 => ("REQUEST_TIMEOUT", "REQUEST_TIMEOUT", "Request timeout."),
            < 500 => ("INVALID_REQUEST", "INVALID_REQUEST", "The request failed (injected by FakeUsageApi)."),
            _ => ("INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR", "The service is unavailable (injected by FakeUsageApi)."),
        };
        var response = ErrorResponse(new ApiError(fault.Status, code, category, message), requestId);
        if (fault.RetryAfter is { } ra)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Ceiling(ra.TotalSeconds)));
        }
        return response;
    }

    private HttpResponseMessage ErrorResponse(ApiError e, string requestId)
    {
        var shape = e.ForceText ? FakeErrorShape.Text : ErrorShape;
        HttpContent content;
        if (shape == FakeErrorShape.Text)
        {
            content = new StringContent(e.Message, Encoding.UTF8, "text/plain");
        }
        else
        {
            var body = Write(w =>
            {
                if (shape == FakeErrorShape.Legacy)
                {
                    w.WriteString("err_code", e.Code);
                    w.WriteString("err_msg", e.Message);
                }
                else
                {
                    w.WriteString("category", e.Category);
                    w.WriteString("message", e.Message);
                    w.WriteString("details", e.Details ?? e.Message);
                }
                w.WriteString("request_id", requestId);
            });
            content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return new HttpResponseMessage((HttpStatusCode)e.Status) { Content = content };
    }

    private static List<string> Values(List<KeyValuePair<string, string>> query, string key)
        => query.Where(p => p.Key == key).Select(p => p.Value).ToList();

    private static string? Single(List<KeyValuePair<string, string>> query, string key)
        => query.LastOrDefault(p => p.Key == key) is { Key: not null } p ? p.Value : null;

    private static bool Matches(List<string> allowed, string? value)
        => allowed.Count == 0 || (value is not null && allowed.Contains(value, StringComparer.OrdinalIgnoreCase));

    private static bool MatchesAny(List<string> allowed, IReadOnlyList<string> values)
        => allowed.Count == 0 || values.Any(v => allowed.Contains(v, StringComparer.Ordinal));

    private static void CheckEnum(List<string> values, string name, params string[] known)
    {
        foreach (var v in values)
        {
            if (!known.Contains(v, StringComparer.OrdinalIgnoreCase))
            {
                throw BadRequest($"{name} must be one of {string.Join(", ", known)}; got '{v}'.");
            }
        }
    }

    private static int ReadInt(List<KeyValuePair<string, string>> query, string key, int fallback)
    {
        var s = Single(query, key);
        if (s is null)
        {
            return fallback;
        }
        // The spec types these as numbers: accept 10 and 10.0, not 10.5.
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }
        throw BadRequest($"{key} must be a whole number; got '{s}'.");
    }

    private static DateTimeOffset? ReadTime(List<KeyValuePair<string, string>> query, string key, bool endOfDay)
    {
        var s = Single(query, key);
        if (s is null)
        {
            return null;
        }
        return FakeQueryString.TryParseTime(s, endOfDay, out var t)
            ? t
            : throw BadRequest($"{key} is not a date or date-time: '{s}'. Use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM (with + encoded as %2B).");
    }

    private static DateOnly? ReadDate(List<KeyValuePair<string, string>> query, string key)
    {
        var s = Single(query, key);
        if (s is null)
        {
            return null;
        }
        return FakeQueryString.TryParseDate(s, out var d) ? d : throw BadRequest($"{key} is not a date: '{s}'. Use YYYY-MM-DD.");
    }
}
