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
