using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 64)]
[JsonSerializable(typeof(RequestsPageBody))]
[JsonSerializable(typeof(UsageRequest))]
[JsonSerializable(typeof(UsageSummary))]
[JsonSerializable(typeof(UsageBreakdown))]
[JsonSerializable(typeof(UsageFields))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
