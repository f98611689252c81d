using System.ComponentModel;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>A grouping of the usage breakdown (<c>accessor</c>, <c>endpoint</c>, <c>feature_set</c>, <c>models</c>, <c>method</c>, <c>tags</c>, <c>deployment</c>).</summary>
[JsonConverter(typeof(OpenEnumJsonConverter<UsageGrouping>))]
public readonly struct UsageGrouping : IEquatable<UsageGrouping>, IOpenEnum<UsageGrouping>
{
    private readonly string? _value;
    /// <summary>Creates a value from its wire spelling.</summary>
    /// <param name="value">The wire value, for example <c>models</c>.</param>
    public UsageGrouping(string value) => _value = OpenEnum.Check(value, nameof(value));
    /// <summary>Per API-key accessor.</summary>
    public static UsageGrouping Accessor { get; } = new("accessor");
    /// <summary>Per endpoint (listen, read, speak, agent).</summary>
    public static UsageGrouping Endpoint { get; } = new("endpoint");
    /// <summary>Per set of features used.</summary>
    public static UsageGrouping FeatureSet { get; } = new("feature_set");
    /// <summary>Per model (the spec's spelling; the docs also show <c>model</c>).</summary>
    public static UsageGrouping Models { get; } = new("models");
    /// <summary>Per processing method.</summary>
    public static UsageGrouping Method { get; } = new("method");
    /// <summary>Per tag.</summary>
    public static UsageGrouping Tags { get; } = new("tags");
    /// <summary>Per deployment.</summary>
    public static UsageGrouping Deployment { get; } = new("deployment");
    static UsageGrouping IOpenEnum<UsageGrouping>.Create(string value) => new(value);
    /// <summary>Converts a wire value.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator UsageGrouping(string value) => new(value);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator ==(UsageGrouping left, UsageGrouping right) => left.Equals(right);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator !=(UsageGrouping left, UsageGrouping right) => !left.Equals(right);
    /// <inheritdoc />
    public bool Equals(UsageGrouping other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is UsageGrouping other && Equals(other);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);
    /// <summary>The wire spelling.</summary>
    public override string ToString() => _value ?? string.Empty;
}
