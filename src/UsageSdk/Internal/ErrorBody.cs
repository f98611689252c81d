using System.Text.Json;

namespace UsageSdk.Internal;

/// <summary>
/// Reads the API's three error shapes: text (<c>text/plain</c>), legacy (<c>err_code</c>, <c>err_msg</c>,
/// <c>request_id</c>) and modern (<c>category</c>, <c>message</c>, <c>details</c>, <c>request_id</c>). Content type
/// first, then both JSON shapes, then plain text.
/// </summary>
internal readonly record struct ErrorBody(string? Code, string? Message, string? Details, string? RequestId)
{
    public static ErrorBody Parse(string content, string? mediaType)
    {
        var text = content.Trim();
        if (text.Length == 0)
        {
            return default;
        }
        if (text[0] == '{')
        {
            try
            {
                using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    var code = Str(root, "err_code") ?? Str(root, "category") ?? Str(root, "code") ?? Str(root, "error");
                    var message = Str(root, "err_msg") ?? Str(root, "message") ?? Str(root, "error_description") ?? Str(root, "value");
                    var details = Str(root, "details");
                    var requestId = Str(root, "request_id");
                    if (code is not null || message is not null || details is not null || requestId is not null)
                    {
                        return new ErrorBody(code, message, details, requestId);
                    }
                }
            }
            catch (JsonException)
            {
                // not JSON after all: fall through to text
            }
        }
        var first = text.Split('\n', 2)[0].Trim();
        if (mediaType is "text/html" || first.StartsWith('<'))
        {
            return default;
        }
        return new ErrorBody(null, first.Length > 500 ? first[..500] : first, null, null);
    }

    private static string? Str(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            JsonValueKind.Object or JsonValueKind.Array => v.GetRawText(),
            _ => null,
        };
    }
}
