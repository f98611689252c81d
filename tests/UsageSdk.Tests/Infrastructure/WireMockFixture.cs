using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>A WireMock server on a random loopback port. Repeated query keys are kept apart; commas are not split.</summary>
public sealed class WireMockFixture : IDisposable
{
    public WireMockFixture()
    {
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            Urls = ["http://127.0.0.1:0"],
            QueryParameterMultipleValueSupport = QueryParameterMultipleValueSupport.Ampersand,
        });
    }

    public WireMockServer Server { get; }

    public Uri BaseAddress => new(Server.Urls[0]);

    public void Dispose() => Server.Stop();
}

[CollectionDefinition(Name)]
public sealed class WireMockCollection : ICollectionFixture<WireMockFixture>
{
    public const string Name = "wiremock";
}
