using System.ComponentModel;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// A dimension of the billing breakdown (<c>accessor</c>, <c>deployment</c>, <c>line_item</c>, <c>tags</c>); several
/// go out as repeated <c>grouping</c> keys. Unknown server values are kept.
/// </summary>
[JsonConverter(typeof(OpenEnumJsonConverter<BillingGrouping>))]
public readonly struct BillingGrouping : IEquatable<BillingGrouping>, IOpenEnum<BillingGrouping>
{
    private readonly string? _value;
    /// <summary>Creates a value from its wire spelling.</summary>
    /// <param name="value">The wire value, for example <c>line_item</c>.</param>
    public BillingGrouping(string value) => _value = OpenEnum.Check(value, nameof(value));
    /// <summary>Per API-key accessor.</summary>
    public static BillingGrouping Accessor { get; } = new("accessor");
    /// <summary>Per deployment.</summary>
    public static BillingGrouping Deployment { get; } = new("deployment");
    /// <summary>Per line item (for example <c>streaming::nova-3</c>).</summary>
    public static BillingGrouping LineItem { get; } = new("line_item");
    /// <summary>Per combination of tags.</summary>
    public static BillingGrouping Tags { get; } = new("tags");
    static BillingGrouping IOpenEnum<BillingGrouping>.Create(string value) => new(value);
    /// <summary>Converts a wire value.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator BillingGrouping(string value) => new(value);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator ==(BillingGrouping left, BillingGrouping right) => left.Equals(right);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator !=(BillingGrouping left, BillingGrouping right) => !left.Equals(right);
    /// <inheritdoc />
    public bool Equals(BillingGrouping other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is BillingGrouping other && Equals(other);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);
    /// <summary>The wire spelling.</summary>
    public override string ToString() => _value ?? string.Empty;
}
