namespace UsageSdk.Internal;

/// <summary>The body of <c>GET /v1/projects/{project_id}/keys</c>: <c>{"api_keys": [{"member": …, "api_key": …}]}</c>.</summary>
internal sealed class KeysBody
{
    public List<ProjectKey>? ApiKeys { get; set; }
}
