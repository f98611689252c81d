using System.Text.Json.Serialization;

namespace UsageSdk;

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
