using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>
/// Issue 22.3: names come from the API when the key may read them, from --names otherwise, and the ids stay when
/// neither: a key that may not list keys or models (403 on GET /keys, /models, /usage/fields) still gets its report.
/// </summary>
public sealed class NamesLookupCommandTests
{
    private const string P = FakeUsageApi.DemoProjectId;

    private static (FakeUsageApi Api, CliEnvironment Env) Forbidden(params string[] paths)
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 3, TimeProvider = new FakeTimeProvider(CliRunner.Now) });
        api.Faults.AppliesTo = r => paths.Any(p => r.Path.EndsWith(p, StringComparison.Ordinal));
        api.Faults.FailNext(100, 403);
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now), Clock = new FakeTimeProvider(CliRunner.Now), Width = 220, ConfigureClient = o => { o.Transport = api; o.BaseAddress = FakeUsageApi.BaseAddress; o.Retry.MaxRetries = 0; } };
        return (api, env);
    }

    [Theory]
    [InlineData("/keys")]
    [InlineData("/models")]
    [InlineData("/usage/fields")]
    public async Task A_key_that_may_not_read_names_gets_the_report_with_ids(string forbidden)
    {
        var (api, env) = Forbidden(forbidden);

        var json = JsonDocument.Parse((await CliRunner.RunAsync(env, "report", "--api-key", "scoped-key-123456", "--project", P, "--format", "json")).Ok().Stdout).RootElement;

        Assert.Contains(api.RecordedRequests, r => r.Path.EndsWith(forbidden, StringComparison.Ordinal) && r.StatusCode == 403);
        var keys = json.GetProperty("groups").GetProperty("api_key").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        var names = api.Projects[0].ApiKeys.ToDictionary(k => k.ApiKeyId, k => k.Name);
        Assert.All(keys, k => Assert.Equal(forbidden == "/keys" ? k.GetProperty("key").GetString() : names[k.GetProperty("key").GetString()!], k.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Without_the_api_names_a_names_file_names_keys_and_models()
    {
        var (api, env) = Forbidden("/keys", "/models", "/usage/fields");
        var key = api.Projects[0].ApiKeys[0];
        var nova3 = api.Models.Single(m => m.Name == "nova-3");
        var file = Path.Combine(Path.GetTempPath(), $"usagesdk-names-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""{ "keys": { "{{key.ApiKeyId}}": "Front door" }, "models": { "{{nova3.ModelId}}": "Nova 3 (general)" } }""");
        try
        {
            var json = JsonDocument.Parse((await CliRunner.RunAsync(env, "report", "--api-key", "scoped-key-123456", "--project", P, "--names", file, "--format", "json")).Ok().Stdout).RootElement;

            var groups = json.GetProperty("groups");
            Assert.Equal("Front door", groups.GetProperty("api_key").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key.ApiKeyId).GetProperty("name").GetString());
            Assert.Equal("Nova 3 (general)", groups.GetProperty("model").EnumerateArray().Single(k => k.GetProperty("key").GetString() == nova3.ModelId).GetProperty("name").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
