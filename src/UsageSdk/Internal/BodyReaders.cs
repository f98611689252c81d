using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UsageSdk.Internal;

/// <summary>Readers of bodies that are not one model as they stand: a list inside its wrapper object, or one object that may come wrapped.</summary>
internal static class BodyReaders
{
    /// <summary>The items of a list body (<c>{"projects": […]}</c>), null items dropped; a missing list is empty.</summary>
    public static Func<Stream, CancellationToken, ValueTask<IReadOnlyList<TItem>>> ListOf<TBody, TItem>(JsonTypeInfo<TBody> body, Func<TBody, List<TItem>?> items)
        where TItem : class
        => async (stream, cancellationToken) =>
        {
            var value = await JsonSerializer.DeserializeAsync(stream, body, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("The response body was the JSON null.");
            return (IReadOnlyList<TItem>?)JsonLists.WithoutNulls(items(value)) ?? [];
        };

    /// <summary>One object, read flat or from inside <c>{"<paramref name="wrapper"/>": {…}}</c> (the classic SDK docs' shape).</summary>
    public static Func<Stream, CancellationToken, ValueTask<T>> Unwrapping<T>(JsonTypeInfo<T> typeInfo, string wrapper, int maxDepth)
        => async (stream, cancellationToken) =>
        {
            using var doc = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { MaxDepth = maxDepth }, cancellationToken).ConfigureAwait(false);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"Expected an object, got {root.ValueKind}.");
            }
            var element = root.TryGetProperty(wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
            return element.Deserialize(typeInfo) ?? throw new JsonException("The response body was the JSON null.");
        };
}
