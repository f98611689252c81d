// The shortest UsageSdk program: the newest request logs, then a usage summary of the last 7 days.
//   dotnet run --project samples/UsageSdk.QuickStart                      (built-in demo API: no key, no network)
//   DEEPGRAM_API_KEY=... dotnet run --project samples/UsageSdk.QuickStart -- <project-id>   (your project)
using UsageSdk;
using UsageSdk.Testing;

var key = Environment.GetEnvironmentVariable("DEEPGRAM_API_KEY");
var projectId = args.Length > 0 ? args[0] : null;
var client = key is { Length: > 0 } && projectId is not null ? new UsageClient(key) : new FakeUsageApi().CreateClient();
projectId ??= FakeUsageApi.DemoProjectId;

var shown = 0;
await foreach (UsageRequest r in client.GetRequestsAsync(projectId, new RequestsQuery().WithPageSize(10)))
{
    Console.WriteLine($"{r.Created:yyyy-MM-dd HH:mm:ss}  {r.State,-7}  {r.Response?.Details?.Usd,10:0.0000} USD  {r.Path}");
    if (++shown == 10)
    {
        break;
    }
}

var today = DateOnly.FromDateTime(DateTime.UtcNow);
UsageSummary summary = await client.GetSummaryAsync(projectId, new UsageQuery().Between(today.AddDays(-6), today));
Console.WriteLine($"Last 7 days: {summary.Results.Sum(d => d.Requests)} requests, {summary.Results.Sum(d => d.Hours):0.0} audio hours, " +
                  $"{summary.Results.Sum(d => d.Tokens?.In + d.Tokens?.Out)} tokens");
