using System.ComponentModel;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>Where a request ran (<c>hosted</c>, <c>beta</c>, <c>self-hosted</c>; billing also knows <c>dedicated</c>).</summary>
[JsonConverter(typeof(OpenEnumJsonConverter<Deployment>))]
public readonly struct Deployment : IEquatable<Deployment>, IOpenEnum<Deployment>
{
    private readonly string? _value;
    /// <summary>Creates a value from its wire spelling.</summary>
    /// <param name="value">The wire value, for example <c>hosted</c>.</param>
    public Deployment(string value) => _value = OpenEnum.Check(value, nameof(value));
    /// <summary>The hosted API.</summary>
    public static Deployment Hosted { get; } = new("hosted");
    /// <summary>The beta API.</summary>
    public static Deployment Beta { get; } = new("beta");
    /// <summary>A self-hosted deployment.</summary>
    public static Deployment SelfHosted { get; } = new("self-hosted");
    /// <summary>A dedicated deployment (listed by <c>/billing/fields</c>; the vendor spec's breakdown filter lacks it, the client sends it as is).</summary>
    public static Deployment Dedicated { get; } = new("dedicated");
    static Deployment IOpenEnum<Deployment>.Create(string value) => new(value);
    /// <summary>Converts a wire value.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator Deployment(string value) => new(value);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator ==(Deployment left, Deployment right) => left.Equals(right);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator !=(Deployment left, Deployment right) => !left.Equals(right);
    /// <inheritdoc />
    public bool Equals(Deployment other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is Deployment other && Equals(other);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);
    /// <summary>The wire spelling.</summary>
    public override string ToString() => _value ?? string.Empty;
}
