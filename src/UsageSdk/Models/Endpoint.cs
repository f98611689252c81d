using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

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

    // After the four above: static initializers run in the order they are written.
    private static readonly Endpoint[] Known = [Listen, Speak, Read, Agent];

    /// <summary>
    /// The endpoint a request path names: its first segment that is not a version, in lower case
    /// (<c>/v1/listen?model=x</c> → <c>listen</c>, <c>/v1/agent/converse</c> → <c>agent</c>, <c>/v1/Listen</c> →
    /// <c>listen</c>, <c>https://api.deepgram.com/v1/speak</c> → <c>speak</c>). The query and fragment are ignored.
    /// Reports, the archive, the fake API and the CLI all read endpoints with this one rule.
    /// </summary>
    /// <param name="path">A request log's <see cref="UsageRequest.Path"/>, or an absolute URL.</param>
    /// <returns>The endpoint (one of the static values when it is a known one), or null when the path names none.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            foreach (var known in Known) // a static array: a collection expression here allocated an array per call
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
