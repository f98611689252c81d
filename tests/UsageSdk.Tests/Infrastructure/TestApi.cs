using System.Globalization;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>WireMock helpers shared by the resilience, hosting and observability tests.</summary>
internal static class TestApi
{
    public const string SummaryJson = """{"start":"2025-01-01","end":"2025-01-31","resolution":{"units":"day","amount":1},"results":[{"start":"2025-01-01","end":"2025-01-01","hours":1.5,"total_hours":2,"requests":3},{"start":"2025-01-02","end":"2025-01-02","hours":0.5,"total_hours":1,"requests":1}]}""";

    public static string SummaryPath(string projectId) => $"/v1/projects/{projectId}/usage";

    public static IResponseBuilder Ok(string body = SummaryJson) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);

    public static IResponseBuilder Status(int status) => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
        .WithBody(string.Create(CultureInfo.InvariantCulture, $$"""{"err_code":"E{{status}}","err_msg":"status {{status}}","request_id":"req-{{status}}"}"""));

    /// <summary>Answers the GETs of <paramref name="path"/> with <paramref name="responses"/> in order; the last one repeats.</summary>
    public static void Sequence(this WireMockFixture wm, string path, params IResponseBuilder[] responses)
    {
        var scenario = "seq " + path;
        for (var i = 0; i < responses.Length; i++)
        {
            var request = Request.Create().WithPath(path).UsingGet();
            var mapping = wm.Server.Given(request).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs("s" + i);
            }
            if (i < responses.Length - 1)
            {
                mapping = mapping.WillSetStateTo("s" + (i + 1));
            }
            mapping.RespondWith(responses[i]);
        }
    }

    public static int Hits(this WireMockFixture wm, string path) => wm.Server.LogEntries.Count(e => e.RequestMessage?.Path == path);

    public static IReadOnlyList<string> AuthorizationHeaders(this WireMockFixture wm, string path) =>
        wm.Server.LogEntries.Where(e => e.RequestMessage?.Path == path)
            .Select(e => e.RequestMessage!.Headers is { } h && h.TryGetValue("Authorization", out var v) ? string.Join(",", v) : "")
            .ToList();
}
