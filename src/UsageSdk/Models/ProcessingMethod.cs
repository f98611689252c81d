using System.ComponentModel;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>How a request was processed (<c>sync</c>, <c>async</c>, <c>streaming</c>). Unknown server values are kept.</summary>
[JsonConverter(typeof(OpenEnumJsonConverter<ProcessingMethod>))]
public readonly struct ProcessingMethod : IEquatable<ProcessingMethod>, IOpenEnum<ProcessingMethod>
{
    private readonly string? _value;
    /// <summary>Creates a value from its wire spelling.</summary>
    /// <param name="value">The wire value, for example <c>sync</c>.</param>
    public ProcessingMethod(string value) => _value = OpenEnum.Check(value, nameof(value));
    /// <summary>Pre-recorded audio, answered in the same HTTP call.</summary>
    public static ProcessingMethod Sync { get; } = new("sync");
    /// <summary>Pre-recorded audio answered by callback.</summary>
    public static ProcessingMethod Async { get; } = new("async");
    /// <summary>Live streaming over a WebSocket.</summary>
    public static ProcessingMethod Streaming { get; } = new("streaming");
    static ProcessingMethod IOpenEnum<ProcessingMethod>.Create(string value) => new(value);
    /// <summary>Converts a wire value.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ProcessingMethod(string value) => new(value);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator ==(ProcessingMethod left, ProcessingMethod right) => left.Equals(right);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator !=(ProcessingMethod left, ProcessingMethod right) => !left.Equals(right);
    /// <inheritdoc />
    public bool Equals(ProcessingMethod other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is ProcessingMethod other && Equals(other);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);
    /// <summary>The wire spelling.</summary>
    public override string ToString() => _value ?? string.Empty;
}
