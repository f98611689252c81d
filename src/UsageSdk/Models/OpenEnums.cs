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

/// <summary>Where a request ran (<c>hosted</c>, <c>beta</c>, <c>self-hosted</c>).</summary>
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

/// <summary>The API endpoint a request called (<c>listen</c>, <c>read</c>, <c>speak</c>, <c>agent</c>).</summary>
[JsonConverter(typeof(OpenEnumJsonConverter<Endpoint>))]
public readonly struct Endpoint : IEquatable<Endpoint>, IOpenEnum<Endpoint>
{
    private readonly string? _value;
    /// <summary>Creates a value from its wire spelling.</summary>
    /// <param name="value">The wire value, for example <c>listen</c>.</param>
    public Endpoint(string value) => _value = OpenEnum.Check(value, nameof(value));
    /// <summary>Speech to text.</summary>
    public static Endpoint Listen { get; } = new("listen");
    /// <summary>Text intelligence.</summary>
    public static Endpoint Read { get; } = new("read");
    /// <summary>Text to speech.</summary>
    public static Endpoint Speak { get; } = new("speak");
    /// <summary>Voice agent.</summary>
    public static Endpoint Agent { get; } = new("agent");

    /// <summary>
    /// The endpoint a request path names: its first segment that is not a version, in lower case
    /// (<c>/v1/listen?model=x</c> → <c>listen</c>, <c>/v1/agent/converse</c> → <c>agent</c>, <c>/v1/Listen</c> →
    /// <c>listen</c>, <c>https://api.deepgram.com/v1/speak</c> → <c>speak</c>). The query and fragment are ignored.
    /// Reports, the archive, the fake API and the CLI all read endpoints with this one rule.
    /// </summary>
    /// <param name="path">A request log's <see cref="UsageRequest.Path"/>, or an absolute URL.</param>
    /// <returns>The endpoint (one of the static values when it is a known one), or null when the path names none.</returns>
    public static Endpoint? FromPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }
        var span = path.AsSpan();
        var cut = span.IndexOfAny('?', '#');
        if (cut >= 0)
        {
            span = span[..cut];
        }
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            span = span[(scheme + 3)..];
            var slash = span.IndexOf('/');
            span = slash < 0 ? [] : span[slash..];
        }
        while (!span.IsEmpty)
        {
            var slash = span.IndexOf('/');
            var segment = (slash < 0 ? span : span[..slash]).Trim();
            span = slash < 0 ? [] : span[(slash + 1)..];
            if (segment.IsEmpty || (segment.Length >= 2 && segment[0] is 'v' or 'V' && segment[1..].IndexOfAnyExceptInRange('0', '9') < 0))
            {
                continue; // the leading slash and the version segment
            }
            foreach (var known in (ReadOnlySpan<Endpoint>)[Listen, Speak, Read, Agent])
            {
                if (segment.Equals(known._value, StringComparison.OrdinalIgnoreCase))
                {
                    return known;
                }
            }
            return new Endpoint(segment.ToString().ToLowerInvariant());
        }
        return null;
    }
    static Endpoint IOpenEnum<Endpoint>.Create(string value) => new(value);
    /// <summary>Converts a wire value.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator Endpoint(string value) => new(value);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator ==(Endpoint left, Endpoint right) => left.Equals(right);
    /// <summary>Compares two values (ordinal, case-insensitive).</summary>
    public static bool operator !=(Endpoint left, Endpoint right) => !left.Equals(right);
    /// <inheritdoc />
    public bool Equals(Endpoint other) => string.Equals(_value, other._value, StringComparison.OrdinalIgnoreCase);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is Endpoint other && Equals(other);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_value);
    /// <summary>The wire spelling.</summary>
    public override string ToString() => _value ?? string.Empty;
}
