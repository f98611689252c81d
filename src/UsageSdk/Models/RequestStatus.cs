using System.ComponentModel;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>Filter of <c>/requests</c> by outcome: <c>succeeded</c> (status &lt; 300) or <c>failed</c> (status &gt;= 400).</summary>
[JsonConverter(typeof(OpenEnumJsonConverter<RequestStatus>))]
public readonly struct RequestStatus : IEquatable<RequestStatus>, IOpenEnum<RequestStatus>
{
    private readonly string? _value;
    /// <summary>Creates a value from its wire spelling.</summary>
    /// <param name="value">The wire value, for example <c>succeeded</c>.</param>
    public RequestStatus(string value) => _value = OpenEnum.Check(value, nameof(value));
    /// <summary>Requests whose status code is below 300.</summary>
    public static RequestStatus Succeeded { get; } = new("succeeded");
    /// <summary>Requests whose status code is 400 or more.</summary>
    public static RequestStatus Failed { get; } = new("failed");
    static RequestStatus IOpenEnum<RequestStatus>.Create(string value) => new(value);
    /// <summary>Converts a wire value.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator RequestStatus(string value) => new(value);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator ==(RequestStatus left, RequestStatus right) => left.Equals(right);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator !=(RequestStatus left, RequestStatus right) => !left.Equals(right);
    /// <inheritdoc />
    public bool Equals(RequestStatus other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is RequestStatus other && Equals(other);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);
    /// <summary>The wire spelling.</summary>
    public override string ToString() => _value ?? string.Empty;
}
