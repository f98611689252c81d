using System.Text.Json;

namespace UsageSdk.Internal;

internal static class EmptyJson
{
    public static readonly IReadOnlyDictionary<string, JsonElement> Dictionary = new Dictionary<string, JsonElement>(0);
}
