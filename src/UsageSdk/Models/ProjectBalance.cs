using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// An outstanding balance of a project (an item of <c>GET /v1/projects/{project_id}/balances</c>, or the body of
/// <c>…/balances/{balance_id}</c>): the credit left. Check <see cref="Units"/> before treating
/// <see cref="Amount"/> as money: projects billed in hours have balances in <c>hour</c>.
/// </summary>
public sealed class ProjectBalance
{
    private string? _purchaseOrderId;
    private string? _legacyPurchase;

    [JsonConstructor]
    internal ProjectBalance() { }

    /// <summary>The balance id.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? BalanceId { get; internal set; }

    /// <summary>What is left, in <see cref="Units"/>; read exactly from a number or a numeric string, 0 when the API sends none.</summary>
    [JsonInclude, JsonConverter(typeof(LenientMoneyConverter))] public decimal Amount { get; internal set; }

    /// <summary>The unit of <see cref="Amount"/>: <c>usd</c> (in any case), or <c>hour</c> for projects billed in hours.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? Units { get; internal set; }

    /// <summary>True when <see cref="Units"/> is <c>usd</c> (compared case-insensitively), so <see cref="Amount"/> is dollars.</summary>
    [JsonIgnore] public bool IsUsd => string.Equals(Units?.Trim(), "usd", StringComparison.OrdinalIgnoreCase);

    /// <summary>The purchase the balance comes from (wire <c>purchase_order_id</c>; older answers call it <c>purchase</c>).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))] public string? PurchaseOrderId { get => _purchaseOrderId ?? _legacyPurchase; internal set => _purchaseOrderId = value; }

    /// <summary>The older name of <c>purchase_order_id</c>: read, never written (the value goes out as <c>purchase_order_id</c>).</summary>
    [JsonInclude, JsonPropertyName("purchase"), JsonConverter(typeof(LenientStringConverter))] internal string? LegacyPurchase { get => null; set => _legacyPurchase = value; }

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Returns the id, amount and units.</summary>
    public override string ToString() => $"ProjectBalance {BalanceId} {Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} {Units}";
}
