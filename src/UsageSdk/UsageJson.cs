using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// Reads and writes the models in the API's own JSON shape (snake_case), with source-generated metadata (no
/// reflection, trimming and AOT safe). Reading is as lenient as the client's. Use it for JSONL exports, archives and fixtures.
/// </summary>
public static class UsageJson
{
    /// <summary>The metadata of <see cref="UsageSdk.UsageRequest"/>.</summary>
    public static JsonTypeInfo<UsageRequest> UsageRequest => WireJsonContext.Default.UsageRequest;

    /// <summary>The metadata of <see cref="UsageSdk.UsageSummary"/>.</summary>
    public static JsonTypeInfo<UsageSummary> UsageSummary => WireJsonContext.Default.UsageSummary;

    /// <summary>The metadata of <see cref="UsageSdk.UsageBreakdown"/>.</summary>
    public static JsonTypeInfo<UsageBreakdown> UsageBreakdown => WireJsonContext.Default.UsageBreakdown;

    /// <summary>The metadata of <see cref="UsageSdk.UsageFields"/>.</summary>
    public static JsonTypeInfo<UsageFields> UsageFields => WireJsonContext.Default.UsageFields;

    /// <summary>The metadata of <see cref="UsageSdk.UsageProject"/>.</summary>
    public static JsonTypeInfo<UsageProject> UsageProject => WireJsonContext.Default.UsageProject;

    /// <summary>The metadata of <see cref="UsageSdk.ProjectKey"/> (the wire's nested <c>member</c> and <c>api_key</c>; never a secret).</summary>
    public static JsonTypeInfo<ProjectKey> ProjectKey => WireJsonContext.Default.ProjectKey;

    /// <summary>The metadata of <see cref="UsageSdk.ProjectModels"/>.</summary>
    public static JsonTypeInfo<ProjectModels> ProjectModels => WireJsonContext.Default.ProjectModels;

    /// <summary>The metadata of <see cref="UsageSdk.BillingBreakdown"/>.</summary>
    public static JsonTypeInfo<BillingBreakdown> BillingBreakdown => WireJsonContext.Default.BillingBreakdown;

    /// <summary>The metadata of <see cref="UsageSdk.BillingFields"/>.</summary>
    public static JsonTypeInfo<BillingFields> BillingFields => WireJsonContext.Default.BillingFields;

    /// <summary>The metadata of <see cref="UsageSdk.ProjectBalance"/>.</summary>
    public static JsonTypeInfo<ProjectBalance> ProjectBalance => WireJsonContext.Default.ProjectBalance;

    /// <summary>Writes a request log as one JSON object in the wire's shape.</summary>
    /// <param name="request">The request log.</param>
    public static string Serialize(UsageRequest request) => JsonSerializer.Serialize(request, UsageRequest);

    /// <summary>Writes a request log to a JSON writer in the wire's shape.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="request">The request log.</param>
    public static void Serialize(Utf8JsonWriter writer, UsageRequest request) => JsonSerializer.Serialize(writer, request, UsageRequest);

    /// <summary>
    /// Reads a request log from JSON (flat, or wrapped in <c>{"request": …}</c>). Its state is derived with the default
    /// <see cref="RequestLogStateOptions"/> at <paramref name="now"/>. Members that cannot be read as their type are kept
    /// raw in <see cref="UsageSdk.UsageRequest.UnreadableMembers"/>, as the client does.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="now">The time the state is derived at; the system time when null.</param>
    /// <exception cref="JsonException">The text is not a request object.</exception>
    public static UsageRequest DeserializeRequest(string json, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var element = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("request", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
        var r = TolerantJson.ReadRequest(element, UsageRequest);
        r.State = new RequestLogStateOptions().Derive(r, now ?? DateTimeOffset.UtcNow);
        return r;
    }
}
