using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// An API key of a project (an item of <c>GET /v1/projects/{project_id}/keys</c>): its id, its label
/// (<see cref="Comment"/>, the name people know it by), scopes and creation time, and the member it belongs to. The wire
/// nests these in <c>api_key</c> and <c>member</c>; the model flattens them and serializes back to the nested shape.
/// It never holds the secret: the list call does not send it, and a <c>key</c> member the server might add is not read
/// (unknown members of a key are dropped, not kept).
/// </summary>
public sealed class ProjectKey
{
    [JsonConstructor]
    internal ProjectKey() { }

    /// <summary>The key's id (<c>api_key.api_key_id</c>), as in <see cref="UsageRequest.ApiKeyId"/>.</summary>
    [JsonIgnore] public string? ApiKeyId => KeyPart?.ApiKeyId;

    /// <summary>The key's label (<c>api_key.comment</c>): the name to show for it.</summary>
    [JsonIgnore] public string? Comment => KeyPart?.Comment;

    /// <summary>The key's scopes (<c>api_key.scopes</c>), for example <c>member</c> or <c>usage:read</c>.</summary>
    [JsonIgnore] public IReadOnlyList<string> Scopes => KeyPart?.Scopes ?? [];

    /// <summary>When the key was made (<c>api_key.created</c>).</summary>
    [JsonIgnore] public DateTimeOffset? Created => KeyPart?.Created;

    /// <summary>The key's tags (<c>api_key.tags</c>; sent only when set).</summary>
    [JsonIgnore] public IReadOnlyList<string> Tags => KeyPart?.Tags ?? [];

    /// <summary>When the key expires (<c>api_key.expiration_date</c>; sent only when set).</summary>
    [JsonIgnore] public DateTimeOffset? ExpirationDate => KeyPart?.ExpirationDate;

    /// <summary>The id of the member who owns the key (<c>member.member_id</c>).</summary>
    [JsonIgnore] public string? MemberId => MemberPart?.MemberId;

    /// <summary>The e-mail address of the member who owns the key (<c>member.email</c>).</summary>
    [JsonIgnore] public string? MemberEmail => MemberPart?.Email;

    [JsonInclude, JsonPropertyName("member")] internal ProjectKeyMember? MemberPart { get; set; }

    [JsonInclude, JsonPropertyName("api_key")] internal ProjectKeyDetails? KeyPart { get; set; }

    /// <summary>Returns the label and id (never a secret).</summary>
    public override string ToString() => $"ProjectKey {Comment} ({ApiKeyId})";
}
