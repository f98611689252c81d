using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>The body of one page of <c>/requests</c>.</summary>
internal sealed class RequestsPageBody
{
    [JsonConverter(typeof(LenientInt32Converter))] public int? Page { get; set; }
    [JsonConverter(typeof(LenientInt32Converter))] public int? Limit { get; set; }
    public List<UsageRequest>? Requests { get; set; }

    /// <summary>Items the server sent, null ones included: the short-page test counts these, not the items kept.</summary>
    [JsonIgnore] public int RawCount { get; set; }

    /// <summary>Members of the page and its items that could not be read as their type (see <see cref="TolerantJson"/>).</summary>
    [JsonIgnore] public int Unreadable { get; set; }

    /// <summary>The path of the first of them (for the log), such as <c>requests[3].response.details.usd</c>.</summary>
    [JsonIgnore] public string? FirstUnreadable { get; set; }
}
