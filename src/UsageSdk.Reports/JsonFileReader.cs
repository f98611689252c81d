using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UsageSdk.Reports;

/// <summary>
/// Reads the small JSON files users hand to reports (price tables, names) through a source-generated context, with one
/// error rule: bad JSON is a <see cref="FormatException"/> that says what was read and where, and a file's errors name
/// the file.
/// </summary>
internal static class JsonFileReader
{
    /// <summary>Deserializes <paramref name="json"/>; <paramref name="what"/> starts the error message ("The price table").</summary>
    public static T? Parse<T>(string json, JsonTypeInfo<T> typeInfo, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{what} is not valid: {e.Message}", e);
        }
    }

    /// <summary>Deserializes a UTF-8 stream, with the same errors as <see cref="Parse{T}"/>.</summary>
    public static async Task<T?> ParseAsync<T>(Stream utf8Json, JsonTypeInfo<T> typeInfo, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        try
        {
            return await JsonSerializer.DeserializeAsync(utf8Json, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{what} is not valid: {e.Message}", e);
        }
    }

    /// <summary>Reads a file and parses its text; a <see cref="FormatException"/> gets the path in front of its message.</summary>
    public static TResult Load<TResult>(string path, Func<string, TResult> parse)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e.InnerException ?? e);
        }
    }
}
