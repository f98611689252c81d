namespace UsageSdk.Internal;

/// <summary>The body of <c>GET /v1/projects</c>: <c>{"projects": […]}</c>.</summary>
internal sealed class ProjectsBody
{
    public List<UsageProject>? Projects { get; set; }
}
