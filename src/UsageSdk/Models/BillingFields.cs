using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// The answer of <c>GET /v1/projects/{project_id}/billing/fields</c>: the values the billing breakdown can be filtered
/// on in a period, and the description of each line item.
/// </summary>
public sealed class BillingFields
{
    [JsonConstructor]
    internal BillingFields() { }

    /// <summary>The API-key accessors billed in the period.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Accessors { get => _accessors ?? []; internal set => _accessors = value; }
    private IReadOnlyList<string>? _accessors;

    /// <summary>The deployments billed (<c>hosted</c>, <c>beta</c>, <c>self-hosted</c>, <c>dedicated</c>).</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Deployments { get => _deployments ?? []; internal set => _deployments = value; }
    private IReadOnlyList<string>? _deployments;

    /// <summary>The tags billed.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringListConverter))] public IReadOnlyList<string> Tags { get => _tags ?? []; internal set => _tags = value; }
    private IReadOnlyList<string>? _tags;

    /// <summary>
    /// Line item id (for example <c>streaming::nova-3</c>, the value <see cref="BillingQuery.WithLineItem"/> takes) →
    /// its description (<c>Nova - 3 (Stream)</c>); the description is empty when the API sends none.
    /// </summary>
    [JsonInclude, JsonConverter(typeof(LenientStringMapConverter))] public IReadOnlyDictionary<string, string> LineItems { get => _lineItems ?? EmptyStrings; internal set => _lineItems = value; }
    private IReadOnlyDictionary<string, string>? _lineItems;

    /// <summary>Members this version of the SDK does not model.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => (IReadOnlyDictionary<string, JsonElement>?)ExtensionData ?? EmptyJson.Dictionary;

    [JsonExtensionData, JsonInclude] internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    private static readonly IReadOnlyDictionary<string, string> EmptyStrings = new Dictionary<string, string>(0);
}
