namespace UsageSdk.Internal;

/// <summary>The body of <c>GET /v1/projects/{project_id}/balances</c>: <c>{"balances": […]}</c>.</summary>
internal sealed class BalancesBody
{
    public List<ProjectBalance>? Balances { get; set; }
}
