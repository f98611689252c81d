using System.Text.Json.Serialization;

namespace UsageSdk.Internal;

/// <summary>The <c>member</c> object of a listed key. Unknown members are dropped.</summary>
internal sealed class ProjectKeyMember
{
    [JsonConverter(typeof(LenientStringConverter))] public string? MemberId { get; set; }

    [JsonConverter(typeof(LenientStringConverter))] public string? Email { get; set; }
}
