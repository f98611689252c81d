using System.Collections.Immutable;

namespace UsageSdk.Internal;

internal static class QueryValues
{
    public static ImmutableList<string> Add(IReadOnlyList<string> current, IEnumerable<string> values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        var list = (ImmutableList<string>)current;
        foreach (var v in values)
        {
            if (string.IsNullOrWhiteSpace(v))
            {
                throw new ArgumentException("A filter value must not be null, empty or white space.", paramName);
            }
            if (HasControl(v))
            {
                throw new ArgumentException($"A filter value must not contain control characters: '{OpenEnum.Printable(v)}'.", paramName);
            }
            if (!list.Contains(v, StringComparer.Ordinal))
            {
                list = list.Add(v);
            }
        }
        return list;
    }

    public static ImmutableList<T> Add<T>(IReadOnlyList<T> current, IEnumerable<T> values, string paramName) where T : struct, IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        var list = (ImmutableList<T>)current;
        foreach (var v in values)
        {
            if (string.IsNullOrEmpty(v.ToString()))
            {
                throw new ArgumentException($"A {typeof(T).Name} filter value must not be empty.", paramName);
            }
            if (!list.Contains(v))
            {
                list = list.Add(v);
            }
        }
        return list;
    }

    public static ImmutableList<KeyValuePair<string, string>> AddParameter(IReadOnlyList<KeyValuePair<string, string>> current, string name, string value, ReadOnlySpan<(string Name, string Instead)> reserved)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("The parameter name must not be null, empty or white space.", nameof(name));
        }
        foreach (var (taken, instead) in reserved)
        {
            if (string.Equals(name, taken, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The parameter '{taken}' is set by the SDK; use {instead} instead.", nameof(name));
            }
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                throw new ArgumentException($"A parameter name may contain only ASCII letters, digits, '_', '-' and '.'; got '{OpenEnum.Printable(name)}'.", nameof(name));
            }
        }
        ArgumentNullException.ThrowIfNull(value);
        if (HasControl(value))
        {
            throw new ArgumentException("A parameter value must not contain control characters.", nameof(value));
        }
        return ((ImmutableList<KeyValuePair<string, string>>)current).Add(new(name, value));
    }

    public static string CheckSingle(string value, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The value must not be null, empty or white space.", paramName);
        }
        if (HasControl(value))
        {
            throw new ArgumentException($"The value must not contain control characters: '{OpenEnum.Printable(value)}'.", paramName);
        }
        return value;
    }

    private static bool HasControl(string s)
    {
        foreach (var c in s)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }

    public static IEnumerable<string>? Strings<T>(IReadOnlyList<T> values) where T : struct
        => values.Count == 0 ? null : values.Select(v => v.ToString()!);

    public static IEnumerable<string>? Strings(IReadOnlyList<string> values) => values.Count == 0 ? null : values;
}
