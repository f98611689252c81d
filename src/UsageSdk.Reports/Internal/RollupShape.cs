using System.Buffers;
using System.Text;
using System.Text.Json;

namespace UsageSdk.Reports.Internal;

/// <summary>
/// Everything about a request that a report groups, filters or prices it by, apart from its time and its additive
/// quantities: requests of one shape in one hour are one roll-up (<see cref="RollupFigures"/> holds their sums), and
/// <see cref="UsageReportBuilder"/> reads a roll-up exactly as it reads those requests one by one. The values are kept as
/// the request logs carry them (case, empty strings), so a filter or a name mapping applied when reading matches what it
/// matches on the logs; only tags are a sorted set (a report counts a tag once per request and in no order).
/// Token details and speech segments become one position per distinct model name, in order of first appearance.
/// </summary>
internal sealed class RollupShape : IEquatable<RollupShape>
{
    private static readonly RequestLogStateOptions States = new();
    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly int _hash;
    private string? _key;
    private RollupShape? _series;

    public RollupShape(
        string? apiKeyId, string? accessor, string[] models, string[] tags, string? method, string? endpoint, string? deployment,
        string? requestedModel, string[] tokenModels, string[] speechModels, RollupOutcome outcome, RollupUsd usd, string? discriminator)
    {
        ApiKeyId = apiKeyId;
        Accessor = accessor;
        Models = models;
        Tags = tags;
        Method = method;
        Endpoint = endpoint;
        Deployment = deployment;
        RequestedModel = requestedModel;
        TokenModels = tokenModels;
        SpeechModels = speechModels;
        Outcome = outcome;
        Usd = usd;
        Discriminator = discriminator;
        var h = new HashCode();
        h.Add(apiKeyId, StringComparer.Ordinal);
        h.Add(accessor, StringComparer.Ordinal);
        AddAll(ref h, models);
        AddAll(ref h, tags);
        h.Add(method, StringComparer.Ordinal);
        h.Add(endpoint, StringComparer.Ordinal);
        h.Add(deployment, StringComparer.Ordinal);
        h.Add(requestedModel, StringComparer.Ordinal);
        AddAll(ref h, tokenModels);
        AddAll(ref h, speechModels);
        h.Add((byte)outcome);
        h.Add((byte)usd);
        h.Add(discriminator, StringComparer.Ordinal);
        _hash = h.ToHashCode();
    }

    /// <summary><c>api_key_id</c> as the log carries it.</summary>
    public string? ApiKeyId { get; }

    /// <summary><c>accessor</c> as the log carries it.</summary>
    public string? Accessor { get; }

    /// <summary><c>response.details.models</c>, in order (empty when the log has none).</summary>
    public string[] Models { get; }

    /// <summary><c>response.details.tags</c>: distinct, in ordinal order (empty when the log has none).</summary>
    public string[] Tags { get; }

    /// <summary>The processing method as the log names it.</summary>
    public string? Method { get; }

    /// <summary>The endpoint read from the path (<see cref="UsageSdk.Endpoint.FromPath"/>).</summary>
    public string? Endpoint { get; }

    /// <summary>The deployment as the log names it.</summary>
    public string? Deployment { get; }

    /// <summary>
    /// The model the request asked for (<c>config.model</c>, else the path's <c>model=</c>), kept only when the request
    /// does not name exactly one model (a report uses it only then); null otherwise.
    /// </summary>
    public string? RequestedModel { get; }

    /// <summary>The distinct model names of the token details ("" for none), in order of first appearance.</summary>
    public string[] TokenModels { get; }

    /// <summary>The distinct model names of the speech segments ("" for none), in order of first appearance.</summary>
    public string[] SpeechModels { get; }

    public RollupOutcome Outcome { get; }

    public RollupUsd Usd { get; }

    /// <summary>
    /// The request id of a request that is rolled up alone: one with a negative token or character count, whose price
    /// (which counts positive quantities only) cannot be read from a sum. Null for every ordinary request.
    /// </summary>
    public string? Discriminator { get; }

    /// <summary>True when <see cref="RollupFigures.Parts"/> is kept (more than one token model or voice).</summary>
    public bool HasPositionParts => TokenModels.Length > 1 || SpeechModels.Length > 1;

    /// <summary>How many values <see cref="RollupFigures.Parts"/> holds for this shape.</summary>
    public int PartCount => (2 * TokenModels.Length) + SpeechModels.Length;

    /// <summary>
    /// The shape of the report's time series: only what the totals of an hour depend on (models, token models, voices,
    /// outcome, usd), so the hourly series of a whole project is read from few rows.
    /// </summary>
    public RollupShape Series => _series ??= IsSeries ? this
        : new RollupShape(null, null, Models, [], null, null, null, null, TokenModels, SpeechModels, Outcome, Usd, Discriminator);

    private bool IsSeries => ApiKeyId is null && Accessor is null && Tags.Length == 0 && Method is null && Endpoint is null && Deployment is null && RequestedModel is null;

    /// <summary>The canonical text of the shape (a JSON array); the stores keep it and find shapes by it.</summary>
    public string Key => _key ??= WriteKey();

    /// <summary>The shape and the figures of one request (its time: <see cref="RollupFigures.First"/>).</summary>
    public static RollupShape Of(UsageRequest request, out RollupFigures figures)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.Response;
        var details = response?.Details;
        var models = details?.Models ?? [];
        var tokens = response?.TokenDetails ?? [];
        var segments = response?.TtsDetails?.SpeechSegments ?? [];
        var irregular = false;

        var tokenModels = new List<string>(tokens.Count);
        var tokenSums = new List<(long In, long Out)>(tokens.Count);
        long tin = 0, tout = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            irregular |= t.Input < 0 || t.Output < 0;
            var at = Position(tokenModels, t.Model);
            if (at == tokenSums.Count)
            {
                tokenSums.Add((0, 0));
            }
            tokenSums[at] = (tokenSums[at].In + (t.Input ?? 0), tokenSums[at].Out + (t.Output ?? 0));
            tin += t.Input ?? 0;
            tout += t.Output ?? 0;
        }
        var speechModels = new List<string>(segments.Count);
        var speechSums = new List<long>(segments.Count);
        long chars = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            irregular |= s.Characters < 0;
            var at = Position(speechModels, s.Model);
            if (at == speechSums.Count)
            {
                speechSums.Add(0);
            }
            speechSums[at] += s.Characters ?? 0;
            chars += s.Characters ?? 0;
        }

        var state = States.Derive(request, request.Created);
        var outcome = state switch
        {
            RequestLogState.Error => RollupOutcome.Error,
            RequestLogState.Success => RollupOutcome.Success,
            _ => RollupOutcome.Open,
        };
        var usd = details?.Usd;
        var ticks = request.Created.UtcTicks;
        figures = new RollupFigures
        {
            Requests = 1,
            TokensIn = tin,
            TokensOut = tout,
            TtsCharacters = chars,
            AudioMicros = RequestFacts.Micros(details?.TotalAudio is { } a && double.IsFinite(a) && a > 0 ? a : 0),
            Usd = usd ?? 0,
            First = ticks,
            Last = ticks,
        };
        var shape = new RollupShape(
            request.ApiKeyId, request.Accessor, Strings(models), TagSet(details?.Tags),
            details?.Method?.ToString(), UsageSdk.Endpoint.FromPath(request.Path)?.ToString(), request.Deployment?.ToString(),
            OwnModels(models) == 1 ? null : new RequestParts(request).AskedModel(),
            [.. tokenModels], [.. speechModels], outcome,
            usd is null ? RollupUsd.None : usd == 0 ? RollupUsd.Zero : RollupUsd.NonZero,
            irregular ? request.RequestId ?? request.Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null);
        if (shape.HasPositionParts)
        {
            var parts = new long[shape.PartCount];
            for (var i = 0; i < tokenSums.Count; i++)
            {
                parts[2 * i] = tokenSums[i].In;
                parts[(2 * i) + 1] = tokenSums[i].Out;
            }
            for (var i = 0; i < speechSums.Count; i++)
            {
                parts[(2 * tokenSums.Count) + i] = speechSums[i];
            }
            figures.Parts = parts;
        }
        return shape;
    }

    /// <summary>Reads a shape from its <see cref="Key"/>.</summary>
    /// <exception cref="FormatException">The text is not a shape key.</exception>
    public static RollupShape FromKey(string key)
    {
        try
        {
            using var doc = JsonDocument.Parse(key);
            var a = doc.RootElement;
            if (a.ValueKind != JsonValueKind.Array || a.GetArrayLength() != 13)
            {
                throw new FormatException("A roll-up shape key is a JSON array of 13 values.");
            }
            var shape = new RollupShape(
                a[0].GetString(), a[1].GetString(), Strings(a[2]), Strings(a[3]), a[4].GetString(), a[5].GetString(), a[6].GetString(),
                a[7].GetString(), Strings(a[8]), Strings(a[9]), (RollupOutcome)a[10].GetByte(), (RollupUsd)a[11].GetByte(), a[12].GetString());
            shape._key = key;
            return shape;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new FormatException($"'{key}' is not a roll-up shape key: {e.Message}", e);
        }
    }

    public bool Equals(RollupShape? other)
        => ReferenceEquals(this, other) || (other is not null && _hash == other._hash
            && string.Equals(ApiKeyId, other.ApiKeyId, StringComparison.Ordinal)
            && string.Equals(Accessor, other.Accessor, StringComparison.Ordinal)
            && Same(Models, other.Models) && Same(Tags, other.Tags)
            && string.Equals(Method, other.Method, StringComparison.Ordinal)
            && string.Equals(Endpoint, other.Endpoint, StringComparison.Ordinal)
            && string.Equals(Deployment, other.Deployment, StringComparison.Ordinal)
            && string.Equals(RequestedModel, other.RequestedModel, StringComparison.Ordinal)
            && Same(TokenModels, other.TokenModels) && Same(SpeechModels, other.SpeechModels)
            && Outcome == other.Outcome && Usd == other.Usd
            && string.Equals(Discriminator, other.Discriminator, StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as RollupShape);

    public override int GetHashCode() => _hash;

    public override string ToString() => Key;

    /// <summary>Distinct non-empty models, compared ignoring case (the report's "own" models of a request).</summary>
    private static int OwnModels(IReadOnlyList<string> models)
    {
        var n = 0;
        for (var i = 0; i < models.Count; i++)
        {
            if (string.IsNullOrEmpty(models[i]))
            {
                continue;
            }
            var seen = false;
            for (var j = 0; j < i && !seen; j++)
            {
                seen = string.Equals(models[j], models[i], StringComparison.OrdinalIgnoreCase);
            }
            n += seen ? 0 : 1;
        }
        return n;
    }

    private static string[] Strings(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return [];
        }
        var copy = new string[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = values[i] ?? "";
        }
        return copy;
    }

    private static string[] TagSet(IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }
        if (tags.Count == 1)
        {
            return [tags[0] ?? ""];
        }
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var t in tags)
        {
            set.Add(t ?? "");
        }
        return [.. set];
    }

    private static int Position(List<string> names, string? model)
    {
        var name = model ?? "";
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        names.Add(name);
        return names.Count - 1;
    }

    private static void AddAll(ref HashCode h, string[] values)
    {
        h.Add(values.Length);
        foreach (var v in values)
        {
            h.Add(v, StringComparer.Ordinal);
        }
    }

    private static bool Same(string[] a, string[] b) => a.AsSpan().SequenceEqual(b);

    private static string[] Strings(JsonElement e)
    {
        var list = new string[e.GetArrayLength()];
        var i = 0;
        foreach (var v in e.EnumerateArray())
        {
            list[i++] = v.GetString() ?? "";
        }
        return list;
    }

    private string WriteKey()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartArray();
            Value(w, ApiKeyId);
            Value(w, Accessor);
            Array(w, Models);
            Array(w, Tags);
            Value(w, Method);
            Value(w, Endpoint);
            Value(w, Deployment);
            Value(w, RequestedModel);
            Array(w, TokenModels);
            Array(w, SpeechModels);
            w.WriteNumberValue((byte)Outcome);
            w.WriteNumberValue((byte)Usd);
            Value(w, Discriminator);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Value(Utf8JsonWriter w, string? v)
    {
        if (v is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(v);
        }
    }

    private static void Array(Utf8JsonWriter w, string[] values)
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }
}
