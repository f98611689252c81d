using UsageSdk.Archive.Internal;
using UsageSdk.Reports;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Models;

/// <summary>
/// "Which endpoint does a request path belong to" has one rule (<see cref="Endpoint.FromPath"/>), used by reports, the
/// archive, the fake API and the CLI. One table checks the rule and that each user answers the same.
/// </summary>
public sealed class EndpointFromPathTests
{
    public static TheoryData<string?, string?> Paths => new()
    {
        { "/v1/listen?model=nova-3&smart_format=true", "listen" },
        { "/v1/read", "read" },
        { "/v1/speak?model=aura-2", "speak" },
        { "/v1/agent/converse", "agent" },
        { "/v1/Listen", "listen" },
        { "/V2/SPEAK", "speak" },
        { "https://api.deepgram.com/v1/listen?x=1", "listen" },
        { "http://127.0.0.1:8080/v1/read#top", "read" },
        { "https://api.deepgram.com", null },
        { "listen", "listen" },
        { "/v1/future-endpoint/x", "future-endpoint" },
        { "/v1/", null },
        { "/v1/?model=x", null },
        { "?/v1/listen", null },
        { " ", null },
        { "", null },
        { null, null },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void The_rule(string? path, string? expected)
        => Assert.Equal(expected, Endpoint.FromPath(path)?.ToString());

    [Fact]
    public void Known_endpoints_are_the_static_values()
    {
        Assert.Equal(Endpoint.Listen, Endpoint.FromPath("/v1/LISTEN"));
        Assert.Same(Endpoint.Listen.ToString(), Endpoint.FromPath("/v1/LISTEN")!.Value.ToString());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void The_archive_and_the_fake_answer_the_same(string? path, string? expected)
    {
        var request = UsageModelFactory.UsageRequest(requestId: "r1", created: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), path: path);
        Assert.Equal(expected, new RequestRow(request).Endpoint);
        Assert.Equal(expected, FakeUsageApi.EndpointOf(request));
    }

    [Fact]
    public void A_report_puts_every_spelling_of_an_endpoint_in_one_group()
    {
        var t = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var builder = new UsageReportBuilder();
        foreach (var (id, path) in new[] { ("a", "/v1/listen"), ("b", "/v1/Listen?model=x"), ("c", "https://api.deepgram.com/v1/LISTEN"), ("d", "/v1/speak") })
        {
            builder.Add(UsageModelFactory.UsageRequest(requestId: id, created: t, path: path));
        }
        var groups = builder.Build().ByEndpoint;

        Assert.Equal(["listen:3", "speak:1"], groups.Select(g => $"{g.Key}:{g.Figures.Requests}").Order(StringComparer.Ordinal));
    }
}
