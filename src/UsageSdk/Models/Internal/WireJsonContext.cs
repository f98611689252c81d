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
[JsonSerializable(typeof(ProjectsBody))]
[JsonSerializable(typeof(UsageProject))]
[JsonSerializable(typeof(KeysBody))]
[JsonSerializable(typeof(ProjectKey))]
[JsonSerializable(typeof(ProjectModels))]
[JsonSerializable(typeof(BillingBreakdown))]
[JsonSerializable(typeof(BillingFields))]
[JsonSerializable(typeof(BalancesBody))]
[JsonSerializable(typeof(ProjectBalance))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
