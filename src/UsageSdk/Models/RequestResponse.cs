using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

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
