using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// One request log (an item of <c>GET /v1/projects/{project_id}/requests</c>, or the body of
/// <c>GET …/requests/{request_id}</c>). Every property is optional on the wire; members this version does not know
/// are kept in <see cref="AdditionalProperties"/>.
/// </summary>
public sealed class UsageRequest
{
    [JsonConstructor]
    internal UsageRequest() { }

    /// <summary>The request id (a UUID).</summary>
    [JsonInclude] public string? RequestId { get; internal set; }

    /// <summary>The project the request belongs to (<c>project_uuid</c>).</summary>
    [JsonInclude, JsonPropertyName("project_uuid"), JsonConverter(typeof(CachedStringConverter))] public string? ProjectId { get; internal set; }

    /// <summary>
    /// When the request was made (UTC, microsecond precision on the wire). <see cref="DateTimeOffset.MinValue"/> when the
    /// API sent none, or one that is not a timestamp; the latter is also kept in <see cref="UnreadableMembers"/> as <c>created</c>.
    /// </summary>
    [JsonInclude, JsonConverter(typeof(LenientCreatedConverter))] public DateTimeOffset Created { get; internal set; }

    /// <summary>The API path called, with its query string (for example <c>/v1/listen?model=nova-3</c>).</summary>
    [JsonInclude] public string? Path { get; internal set; }

    /// <summary>The id of the API key used.</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? ApiKeyId { get; internal set; }

    /// <summary>The API-key accessor (not in the vendor spec, but sent by the API).</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Accessor { get; internal set; }

    /// <summary>Where the request ran (<c>hosted</c>, <c>beta</c>, <c>self-hosted</c>).</summary>
    [JsonInclude] public Deployment? Deployment { get; internal set; }

    /// <summary>The HTTP status of the request, as sent at the top level (newer API). See also <see cref="EffectiveCode"/>.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Code { get; internal set; }

    /// <summary>The recorded response: <see langword="null"/> while pending; details on success, a message on failure.</summary>
    [JsonInclude] public RequestResponse? Response { get; internal set; }

    /// <summary>The callback of an async request: a URL (newer API) or an object with attempts (classic API).</summary>
    [JsonInclude, JsonConverter(typeof(RequestCallbackConverter))] public RequestCallback? Callback { get; internal set; }

    /// <summary>
    /// The Console's log state, derived on the client when the item was read (see <see cref="RequestLogState"/> for
    /// the rule). Not sent by the API.
    /// </summary>
    [JsonIgnore] public RequestLogState State { get; internal set; }

    /// <summary>The HTTP status of the request: <see cref="Code"/>, or else the classic <c>response.code</c>.</summary>
    [JsonIgnore] public int? EffectiveCode => Code ?? Response?.Code;

    /// <summary>Members of the request object that this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>
    /// Members of this request log, at any depth, that could not be read as their type — a <c>usd</c> of <c>1e400</c>,
    /// a <c>code</c> of <c>1.1</c>, a <c>created</c> that is not a timestamp — as the raw JSON values the API sent, keyed
    /// by their path from the item (<c>created</c>, <c>code</c>, <c>response.details.usd</c>,
    /// <c>response.token_details[0].input</c>). Their typed properties are null (<see cref="Created"/> is
    /// <see cref="DateTimeOffset.MinValue"/>); the rest of the item is read as usual and the item is yielded. Empty for a
    /// well-formed item. The client counts them in the <c>usage.client.unreadable_members</c> metric and logs a warning
    /// (event 4003) for each page that has any. Not written back by <see cref="UsageJson.Serialize(UsageRequest)"/>.
    /// </summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> UnreadableMembers => (IReadOnlyDictionary<string, JsonElement>?)Unreadable ?? EmptyJson.Dictionary;

    [JsonIgnore] internal Dictionary<string, JsonElement>? Unreadable { get; set; }

    /// <summary>Returns the request id and creation time (never any credential).</summary>
    public override string ToString() => $"UsageRequest {RequestId} {Created:O} {State}";
}

/// <summary>The <c>response</c> object of a request log. It is <c>null</c> or <c>{}</c> while the request is pending.</summary>
public sealed class RequestResponse
{
    [JsonConstructor]
    internal RequestResponse() { }

    /// <summary>Billing and processing details; absent when the request failed or is not finished.</summary>
    [JsonInclude] public RequestDetails? Details { get; internal set; }

    /// <summary>The HTTP status of the request (classic position).</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Code { get; internal set; }

    /// <summary>When processing completed.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateTimeOffsetConverter))] public DateTimeOffset? Completed { get; internal set; }

    /// <summary>The error message of a failed request (present instead of <see cref="Details"/>).</summary>
    [JsonInclude] public string? Message { get; internal set; }

    /// <summary>Token counts of LLM and intelligence features.</summary>
    [JsonInclude] public IReadOnlyList<TokenDetail> TokenDetails { get => _tokenDetails ?? []; internal set => _tokenDetails = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<TokenDetail>? _tokenDetails;

    /// <summary>Text-to-speech details of a speak request.</summary>
    [JsonInclude] public TtsDetails? TtsDetails { get; internal set; }

    /// <summary>Members of the response object that this version of the SDK does not model (for example <c>audio_metadata</c>).</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>True when the object carries nothing (the wire's <c>{}</c>).</summary>
    [JsonIgnore] public bool IsEmpty => Details is null && Code is null && Completed is null && Message is null && (_tokenDetails is null || _tokenDetails.Count == 0) && TtsDetails is null && ExtensionData is null;
}

/// <summary>The <c>response.details</c> object: what was processed and what it cost.</summary>
public sealed class RequestDetails
{
    private IReadOnlyDictionary<string, JsonElement>? _config;

    [JsonConstructor]
    internal RequestDetails() { }

    /// <summary>The billed cost in US dollars (0 for contract projects, or before billing settles).</summary>
    [JsonInclude, JsonConverter(typeof(LenientDecimalConverter))] public decimal? Usd { get; internal set; }

    /// <summary>Processing duration in seconds.</summary>
    [JsonInclude, JsonConverter(typeof(LenientNullableDoubleConverter))] public double? Duration { get; internal set; }

    /// <summary>Audio length in seconds, summed over channels.</summary>
    [JsonInclude, JsonConverter(typeof(LenientNullableDoubleConverter))] public double? TotalAudio { get; internal set; }

    /// <summary>Audio channels.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Channels { get; internal set; }

    /// <summary>Streams.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Streams { get; internal set; }

    /// <summary>Model UUIDs used.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Models { get => _models ?? []; internal set => _models = value; }
    private IReadOnlyList<string>? _models;

    /// <summary>How the request was processed.</summary>
    [JsonInclude] public ProcessingMethod? Method { get; internal set; }

    /// <summary>The legacy pricing tier (deprecated by the API).</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Tier { get; internal set; }

    /// <summary>Tags attached to the request.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Tags { get => _tags ?? []; internal set => _tags = value; }
    private IReadOnlyList<string>? _tags;

    /// <summary>Features used.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Features { get => _features ?? []; internal set => _features = value; }
    private IReadOnlyList<string>? _features;

    /// <summary>
    /// The request's options as sent (<c>config</c>), as raw JSON values: types drift on the wire
    /// (<c>"detect_topics": "true"</c>, <c>"summarize": "v2"</c>), so read them with <see cref="GetConfigBoolean"/>,
    /// <see cref="GetConfigString"/> and <see cref="GetConfigStrings"/>. Parsed only when first read.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, JsonElement>? Config => _config ??= ConfigJson?.ToDictionary();

    [JsonInclude, JsonPropertyName("config"), JsonConverter(typeof(RawJsonConverter))]
    internal RawJson? ConfigJson { get; set; }

    /// <summary>Members of the details object that this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Reads a config option as a boolean: <c>true</c>, <c>"true"</c>, <c>1</c>, <c>"1"</c> (and the false forms); null when absent or not boolean-like.</summary>
    /// <param name="name">The option name, for example <c>diarize</c>.</param>
    public bool? GetConfigBoolean(string name) => Config is { } c && c.TryGetValue(name, out var v) ? JsonValues.AsBoolean(v) : null;

    /// <summary>Reads a config option as text: a string as is, a number or boolean as its JSON text; null when absent, null or structured.</summary>
    /// <param name="name">The option name, for example <c>summarize</c> (which may be <c>"v2"</c> or <c>true</c>).</param>
    public string? GetConfigString(string name) => Config is { } c && c.TryGetValue(name, out var v) ? JsonValues.AsString(v) : null;

    /// <summary>Reads a config option as a list of strings: an array (non-string items as text) or a single value as a one-item list.</summary>
    /// <param name="name">The option name, for example <c>keywords</c>.</param>
    public IReadOnlyList<string>? GetConfigStrings(string name) => Config is { } c && c.TryGetValue(name, out var v) ? JsonValues.AsStrings(v) : null;
}

/// <summary>Token counts of one LLM or intelligence feature of a request.</summary>
public sealed class TokenDetail
{
    [JsonConstructor]
    internal TokenDetail() { }

    /// <summary>The feature (for example <c>summarization</c>).</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Feature { get; internal set; }

    /// <summary>Input tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Input { get; internal set; }

    /// <summary>Output tokens.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt64Converter))] public long? Output { get; internal set; }

    /// <summary>The model that counted them.</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Model { get; internal set; }
}

/// <summary>Text-to-speech details of a speak request.</summary>
public sealed class TtsDetails
{
    [JsonConstructor]
    internal TtsDetails() { }

    /// <summary>Audio duration in seconds.</summary>
    [JsonInclude, JsonConverter(typeof(LenientNullableDoubleConverter))] public double? Duration { get; internal set; }

    /// <summary>Segments synthesised.</summary>
    [JsonInclude] public IReadOnlyList<SpeechSegment> SpeechSegments { get => _segments ?? []; internal set => _segments = JsonLists.WithoutNulls(value); }
    private IReadOnlyList<SpeechSegment>? _segments;

    /// <summary>Characters over all segments.</summary>
    [JsonIgnore] public long Characters => SpeechSegments.Sum(s => (long)(s.Characters ?? 0));
}

/// <summary>One synthesised segment of a speak request.</summary>
public sealed class SpeechSegment
{
    [JsonConstructor]
    internal SpeechSegment() { }

    /// <summary>Characters in the segment.</summary>
    [JsonInclude, JsonConverter(typeof(LenientInt32Converter))] public int? Characters { get; internal set; }

    /// <summary>The voice model.</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Model { get; internal set; }

    /// <summary>The pricing tier.</summary>
    [JsonInclude, JsonConverter(typeof(CachedStringConverter))] public string? Tier { get; internal set; }
}

/// <summary>
/// The callback of an async request. The classic API sends an object (<c>attempts</c>, <c>code</c>, <c>completed</c>);
/// the vendor spec says a URL string. Both are read into this type.
/// </summary>
public sealed class RequestCallback
{
    [JsonConstructor]
    internal RequestCallback() { }

    /// <summary>The callback URL, when the API sent one.</summary>
    public string? Url { get; internal set; }

    /// <summary>Delivery attempts.</summary>
    public int? Attempts { get; internal set; }

    /// <summary>The HTTP status the callback receiver answered.</summary>
    public int? Code { get; internal set; }

    /// <summary>When delivery completed.</summary>
    public DateTimeOffset? Completed { get; internal set; }
}

/// <summary>
/// The Console's log states. The API has no such field; the client derives it as each item is read:
/// <list type="bullet">
/// <item><see cref="Error"/> when the status code (<see cref="UsageRequest.EffectiveCode"/>) is 400 or more, or the response has a message;</item>
/// <item><see cref="Success"/> when the code is absent or below 400 and the response has details or a completion time;</item>
/// <item>otherwise (response <c>null</c> or <c>{}</c>): <see cref="Pending"/> while younger than
/// <see cref="RequestLogStateOptions.PendingFor"/>, <see cref="Unknown"/> until <see cref="RequestLogStateOptions.LostAfter"/>,
/// then <see cref="Lost"/> (not charged).</item>
/// </list>
/// </summary>
public enum RequestLogState
{
    /// <summary>The response is not recorded yet.</summary>
    Pending = 0,
    /// <summary>The outcome is not confirmed yet.</summary>
    Unknown = 1,
    /// <summary>The outcome was never logged; not charged.</summary>
    Lost = 2,
    /// <summary>The request failed.</summary>
    Error = 3,
    /// <summary>The request succeeded.</summary>
    Success = 4,
}
