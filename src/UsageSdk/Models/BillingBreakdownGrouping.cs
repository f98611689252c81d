using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>The group key of a <see cref="BillingResult"/>: its bucket, and the value of each dimension grouped on.</summary>
public sealed class BillingBreakdownGrouping
{
    [JsonConstructor]
    internal BillingBreakdownGrouping() { }

    /// <summary>First day of the bucket.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? Start { get; internal set; }

    /// <summary>Last day of the bucket.</summary>
    [JsonInclude, JsonConverter(typeof(LenientDateOnlyConverter))] public DateOnly? End { get; internal set; }

    /// <summary>The API-key accessor, when grouped by <see cref="BillingGrouping.Accessor"/>; null otherwise.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Accessor { get; internal set; }

    /// <summary>The deployment (<c>hosted</c>, <c>beta</c>, <c>self-hosted</c>, <c>dedicated</c>), when grouped by <see cref="BillingGrouping.Deployment"/>; null otherwise.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Deployment { get; internal set; }

    /// <summary>
    /// The line item (for example <c>streaming::nova-3</c>), when grouped by <see cref="BillingGrouping.LineItem"/>;
    /// null otherwise. Its description is in <see cref="BillingFields.LineItems"/>.
    /// </summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? LineItem { get; internal set; }

    /// <summary>
    /// The tags, when grouped by <see cref="BillingGrouping.Tags"/>; null otherwise. A row is one combination of tags
    /// (a request tagged <c>a</c> and <c>b</c> is in the <c>[a, b]</c> row), so per-tag sums over rows overlap.
    /// </summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string>? Tags { get; internal set; }
}
