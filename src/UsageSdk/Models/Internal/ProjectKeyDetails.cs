using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>
/// The <c>api_key</c> object of a listed key. Only these members are read: there is no extension data, so a secret
/// (<c>key</c>) the server might send is never kept, shown or written back.
/// </summary>
internal sealed class ProjectKeyDetails
{
    [JsonConverter(typeof(LenientStringConverter))] public string? ApiKeyId { get; set; }

    [JsonConverter(typeof(LenientStringConverter))] public string? Comment { get; set; }

    [JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string>? Scopes { get; set; }

    [JsonConverter(typeof(LenientDateTimeOffsetConverter))] public DateTimeOffset? Created { get; set; }

    [JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string>? Tags { get; set; }

    [JsonConverter(typeof(LenientDateTimeOffsetConverter))] public DateTimeOffset? ExpirationDate { get; set; }
}
