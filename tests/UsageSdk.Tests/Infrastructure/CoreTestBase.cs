using System.Net;
using Microsoft.Extensions.Time.Testing;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>The core tests' own WireMock server (a collection of their own, so they run beside other areas' tests).</summary>
[CollectionDefinition(Name)]
public sealed class CoreWireMockCollection : ICollectionFixture<WireMockFixture>
{
    public const string Name = "core-wiremock";
}

/// <summary>Shared helpers: a reset server per test, clients pointed at it, JSON stubs, the log of what was sent.</summary>
[Collection(CoreWireMockCollection.Name)]
public abstract class CoreTestBase
{
    public const string Key = "test-key-0123456789abcdef";
    public const string Project = "proj-1";

    protected CoreTestBase(WireMockFixture wm)
    {
        Wm = wm;
        Wm.Server.Reset();
    }

    protected WireMockFixture Wm { get; }

    protected WireMockServer Server => Wm.Server;

    /// <summary>A fixed clock: 2025-03-01T12:00:00Z.</summary>
    protected static FakeTimeProvider NewClock() => new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected UsageClient NewClient(TimeProvider? time = null, int maxRetries = 0, string? accessToken = null)
        => new(new UsageClientOptions
        {
            ApiKey = accessToken is null ? Key : null,
            AccessToken = accessToken,
            BaseAddress = Wm.BaseAddress,
            Retry = new UsageRetryOptions { MaxRetries = maxRetries, Delay = TimeSpan.Zero },
            TimeProvider = time ?? NewClock(),
        });

    /// <summary>Answers any GET under <paramref name="path"/> with <paramref name="json"/>.</summary>
    protected void StubJson(string path, string json, int status = 200)
        => Server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));

    /// <summary>Answers page <paramref name="page"/> of /requests with <paramref name="json"/>.</summary>
    protected void StubPage(int page, string json, string project = Project)
        => Server.Given(Request.Create().WithPath($"/v1/projects/{project}/requests").WithParam("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(json));

    protected void StubFixture(string path, string fixture) => StubJson(path, Fixtures.Read(fixture));

    /// <summary>What the server received, oldest first.</summary>
    protected IReadOnlyList<ILogEntry> Sent => Server.LogEntries.OrderBy(e => e.RequestMessage!.DateTime).ToList();

    /// <summary>The raw query strings received, oldest first, without the leading '?'.</summary>
    protected IReadOnlyList<string> RawQueries => Sent.Select(e => Raw(e)).ToList();

    protected static string Raw(ILogEntry e)
    {
        var q = e.RequestMessage!.RawQuery ?? "";
        return q.StartsWith('?') ? q[1..] : q;
    }

    /// <summary>A /requests page body with items <paramref name="ids"/>.</summary>
    protected static string PageJson(int page, int limit, params string[] ids)
        => $$"""{"page":{{page}},"limit":{{limit}},"requests":[{{string.Join(",", ids.Select(id => ItemJson(id)))}}]}""";

    protected static string ItemJson(string id, string created = "2025-02-28T10:00:00.123456Z")
        => $$"""{"request_id":"{{id}}","project_uuid":"{{Project}}","created":"{{created}}","path":"/v1/listen","api_key_id":"k1","response":{"details":{"usd":0.01},"code":200,"completed":"2025-02-28T10:00:01Z"},"callback":null}""";

    protected static HttpStatusCode Status(int code) => (HttpStatusCode)code;
}

/// <summary>Reads the JSON fixtures copied next to the test assembly (tests/UsageSdk.Tests/Fixtures).</summary>
public static class Fixtures
{
    public static string Read(string name)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
