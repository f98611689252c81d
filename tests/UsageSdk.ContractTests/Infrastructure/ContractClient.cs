namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>A <see cref="UsageClient"/> pointed at a Prism server, its calls recorded by a <see cref="ViolationRecorder"/>.</summary>
public sealed class ContractClient : IDisposable
{
    public const string ProjectId = "3b2f7f8e-6c1d-4f5a-9e2b-7d8c9a0b1c2d";

    public ContractClient(PrismServer server, string? preferExample = null, bool bearer = false)
    {
        Recorder = new ViolationRecorder { PreferExample = preferExample };
        var options = new UsageClientOptions
        {
            BaseAddress = server.BaseAddress,
            Transport = Recorder,
            Retry = { MaxRetries = 0 },
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (bearer)
        {
            options.AccessToken = "eyJhbGciOiJIUzI1NiJ9.e30.contract";
        }
        else
        {
            options.ApiKey = "contract-test-key";
        }
        Client = new UsageClient(options);
        Server = server;
    }

    public UsageClient Client { get; }

    public ViolationRecorder Recorder { get; }

    public PrismServer Server { get; }

    /// <summary>
    /// Makes one call and returns what the server saw. Against the vendor file the mock's generated bodies cannot be
    /// read (numbers of -1.8e308, "string" for hours), so a <see cref="UsageApiException"/> after a 200 is expected
    /// there; the request is what these tests judge.
    /// </summary>
    public async Task<Exchange> CallAsync(Func<UsageClient, Task> call)
    {
        var before = Recorder.Exchanges.Count;
        try
        {
            await call(Client);
        }
        catch (UsageApiException)
        {
            // Judged from the recorded exchange (a 400 carries the violations).
        }
        var made = Recorder.Exchanges.Skip(before).ToList();
        Assert.True(made.Count == 1, $"Expected one HTTP call, saw {made.Count}:\n{string.Join('\n', made)}");
        return made[0];
    }

    /// <summary>Reads the first page of requests (enough for one HTTP call).</summary>
    public static async Task FirstPageAsync(UsageClient client, RequestsQuery? query)
    {
        await foreach (var page in client.GetRequestsAsync(ProjectId, query).AsPages())
        {
            _ = page.Values;
            break;
        }
    }

    /// <summary>Fails unless the spec accepted the request: no <c>sl-violations</c> entry about it, and no 400.</summary>
    public static void AssertAccepted(Exchange exchange)
    {
        var problems = exchange.RequestViolations.ToList();
        Assert.True(problems.Count == 0 && exchange.Status != 400,
            $"The vendor spec rejects the client's request:\n{exchange}");
    }

    public void Dispose() => Recorder.Dispose();
}
