using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>The cost of one group in one bucket of a <see cref="BillingBreakdown"/>.</summary>
public sealed class BillingResult
{
    [JsonConstructor]
    internal BillingResult() { }

    /// <summary>
    /// The cost in US dollars. Read exactly as a <see cref="decimal"/> from a number (<c>0.25</c>) or a numeric string
    /// (<c>"0.25"</c>, as the vendor spec types it); 0 when the API sends none.
    /// </summary>
    [JsonInclude, JsonConverter(typeof(LenientMoneyConverter))] public decimal Dollars { get; internal set; }

    /// <summary>What this entry is grouped by; the dimensions not grouped on are null.</summary>
    [JsonInclude] public BillingBreakdownGrouping? Grouping { get; internal set; }
}
