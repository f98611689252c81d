using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Testing;
using UsageSdk.Worker;

namespace UsageSdk.Archive.Tests.Worker;

/// <summary>
/// Issue 22.5 and 22.3 for the worker: <c>Archive:AllProjects</c> (<c>--all-projects</c>) syncs every project
/// <c>GET /v1/projects</c> lists, and the metrics carry the names of keys and models (from <c>GET /keys</c>,
/// <c>/models</c> and <c>/usage/fields</c>, or a names file; the ids when neither) next to the ids. The worker runs in a
/// test host against the fake API served over HTTP on 127.0.0.1 (a real socket, the configured base address).
/// </summary>
public sealed class WorkerProjectsAndNamesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Series(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public string? this[string tag] => Tags.GetValueOrDefault(tag);
    }

    private sealed record Run(FakeUsageApi Api, IReadOnlyList<Series> Series, IReadOnlyList<string> Logs, int Cycles, string Database);

    /// <summary>Runs one cycle of the worker (RunOnce) against <paramref name="api"/> on loopback and reads every gauge.</summary>
    private async Task<Run> RunOnceAsync(FakeUsageApi api, string[] args, Dictionary<string, string?> settings)
    {
        await using var server = await LoopbackFakeApi.StartAsync(api);
        var logs = new ListLoggerProvider();
        var database = _dir.File($"worker-{Guid.NewGuid():N}.db");
        var config = new Dictionary<string, string?>
        {
            ["UsageSdk:ApiKey"] = Key,
            ["UsageSdk:BaseAddress"] = server.BaseAddress.ToString(),
            ["UsageSdk:Retry:MaxRetries"] = "0",
            ["Archive:Database"] = database,
            ["Archive:RunOnce"] = "true",
            ["Archive:SyncUsage"] = "false",
            ["Telemetry:Exporter"] = "none",
        };
        foreach (var (k, v) in settings)
        {
            config[k] = v;
        }
        var builder = WorkerHost.CreateBuilder(args, b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            b.Services.AddSingleton<TimeProvider>(api.TimeProvider);
            b.Logging.AddProvider(logs);
        });
        using var host = builder.Build();
        var series = new ConcurrentQueue<Series>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == UsageMetrics.MeterName && instrument.Meter.Scope == host.Services.GetRequiredService<IMeterFactory>())
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            series.Enqueue(new Series(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string))));
        listener.Start();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await host.StartAsync(timeout.Token);
        await host.WaitForShutdownAsync(timeout.Token);
        listener.RecordObservableInstruments();
        return new Run(api, [.. series], [.. logs.Messages], host.Services.GetRequiredService<ArchiveSyncWorker>().Cycles, database);
    }

    private const string Key = "owner-key-0123456789";

    /// <summary>The demo's projects, keys and models over two days; the fake answers 401 to any key but <see cref="Key"/>.</summary>
    private static FakeUsageApi NewApi() => new(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 2, TimeProvider = new FakeTimeProvider(Now), AcceptedKeys = [Key] });

    private static List<UsageRequest> LastDay(FakeUsageApi api, string project)
        => api.GetRequests(project).Where(r => r.Created >= Now.AddHours(-24) && r.Created <= Now).ToList();

    [Fact]
    public async Task With_AllProjects_every_listed_project_is_synced_and_its_metrics_carry_key_and_model_names_next_to_the_ids()
    {
        var api = NewApi();

        var run = await RunOnceAsync(api, ["--all-projects"], []);

        Assert.Equal(1, run.Cycles);
        Assert.Equal(3, api.Projects.Count);
        Assert.Single(api.RecordedRequests, r => r.Path == "/v1/projects");
        await using (var archive = UsageArchive.Open(run.Database))
        {
            Assert.Equal(api.Projects.Select(p => p.ProjectId).Order(StringComparer.Ordinal), (await archive.GetProjectIdsAsync()).Order(StringComparer.Ordinal));
            foreach (var p in api.Projects)
            {
                Assert.Equal(api.GetRequests(p.ProjectId).Count, (await archive.GetStatisticsAsync(p.ProjectId)).Requests);
            }
        }
        var requests = run.Series.Where(s => s.Instrument == "usage.requests").ToList();
        var modelNames = api.Models.ToDictionary(m => m.ModelId, m => m.Name);
        foreach (var p in api.Projects)
        {
            var mine = requests.Where(s => s["usage.project"] == p.ProjectId).ToList();
            Assert.All(mine, s => Assert.Equal(p.Name, s["usage.project_name"]));
            var logs = LastDay(api, p.ProjectId);
            Assert.Equal(logs.Count, Assert.Single(mine, s => s["usage.dimension"] == "total").Value);

            // Keys: the id in usage.key, the key's comment from GET /keys (the demo names) in usage.name.
            var keys = mine.Where(s => s["usage.dimension"] == "api_key").ToList();
            var expectedKeys = logs.GroupBy(r => r.ApiKeyId).Select(g => (Key: g.Key, Name: p.ApiKeys.Single(k => k.ApiKeyId == g.Key).Name, Requests: (double)g.Count()));
            Assert.Equal(expectedKeys.OrderBy(k => k.Key, StringComparer.Ordinal), keys.Select(s => (Key: s["usage.key"], Name: s["usage.name"]!, Requests: s.Value)).OrderBy(k => k.Key, StringComparer.Ordinal));

            // Models: every model the logs name by UUID has its series, named as GET /models names it.
            var models = mine.Where(s => s["usage.dimension"] == "model").ToList();
            var used = logs.SelectMany(r => r.Response?.Details?.Models ?? []).Distinct().ToList();
            Assert.NotEmpty(used);
            foreach (var id in used)
            {
                Assert.Equal(modelNames[id], Assert.Single(models, s => s["usage.key"] == id)["usage.name"]);
            }
            Assert.All(models, s => Assert.NotEqual(s["usage.key"], s["usage.name"])); // no model left unnamed
        }
        Assert.Contains("nova-3", requests.Select(s => s["usage.name"]));
        Assert.Contains("web-backend", requests.Select(s => s["usage.name"]));
        // The key went over the socket (the fake accepts no other), never into a log line.
        Assert.All(api.RecordedRequests, r => Assert.Equal((200, "Token [redacted]"), (r.StatusCode, r.Headers["Authorization"])));
        Assert.DoesNotContain(run.Logs, m => m.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_that_may_not_read_keys_and_models_publishes_ids_and_a_names_file_names_what_it_lists()
    {
        var api = NewApi();
        api.Faults.AppliesTo = r => r.Path.EndsWith("/keys", StringComparison.Ordinal) || r.Path.EndsWith("/models", StringComparison.Ordinal) || r.Path.EndsWith("/usage/fields", StringComparison.Ordinal);
        api.Faults.FailNext(1000, 403);
        var project = api.Projects[0];
        var key = project.ApiKeys[0];
        var nova3 = api.Models.Single(m => m.Name == "nova-3");
        var namesFile = _dir.File("names.json");
        await File.WriteAllTextAsync(namesFile, $$"""{ "keys": { "{{key.ApiKeyId}}": "Front door" }, "models": { "{{nova3.ModelId}}": "Nova 3 (general)" } }""");

        var run = await RunOnceAsync(api, [], new() { ["Archive:Projects:0"] = project.ProjectId, ["Archive:Names"] = namesFile });

        Assert.Equal(1, run.Cycles);
        var mine = run.Series.Where(s => s.Instrument == "usage.requests").ToList();
        Assert.All(mine, s => Assert.Equal(project.ProjectId, s["usage.project"]));
        Assert.All(mine, s => Assert.Equal(project.Name, s["usage.project_name"])); // GET /v1/projects/{id} is allowed
        var keys = mine.Where(s => s["usage.dimension"] == "api_key").ToList();
        Assert.True(keys.Count > 1);
        Assert.Equal("Front door", Assert.Single(keys, s => s["usage.key"] == key.ApiKeyId)["usage.name"]);
        Assert.All(keys.Where(s => s["usage.key"] != key.ApiKeyId), s => Assert.Equal(s["usage.key"], s["usage.name"]));
        var models = mine.Where(s => s["usage.dimension"] == "model").ToList();
        Assert.Equal("Nova 3 (general)", Assert.Single(models, s => s["usage.key"] == nova3.ModelId)["usage.name"]);
        var otherUuids = api.Models.Where(m => m != nova3).Select(m => m.ModelId).ToHashSet();
        var unnamed = models.Where(s => otherUuids.Contains(s["usage.key"]!)).ToList();
        Assert.NotEmpty(unnamed);
        Assert.All(unnamed, s => Assert.Equal(s["usage.key"], s["usage.name"]));
        Assert.Contains(run.Logs, m => m == $"The metrics of {project.ProjectId} carry ids for the key names (/keys): the API key may not read them (HTTP 403); a names file (Archive:Names) can name them");
        Assert.Contains(api.RecordedRequests, r => r.Path.EndsWith("/keys", StringComparison.Ordinal) && r.StatusCode == 403);
    }

    [Fact]
    public async Task With_demo_and_all_projects_the_worker_archives_the_three_demo_projects()
    {
        var database = _dir.File("demo-all.db");
        var builder = WorkerHost.CreateBuilder(["--demo", "--all-projects"], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Archive:Database"] = database,
                ["Archive:RunOnce"] = "true",
                ["Archive:SyncUsage"] = "false",
                ["Telemetry:Exporter"] = "none",
            });
            b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        });
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await host.StartAsync(timeout.Token);
        await host.WaitForShutdownAsync(timeout.Token);

        var api = host.Services.GetRequiredService<FakeUsageApi>();
        Assert.Equal(api.Projects.Select(p => (p.ProjectId, (string?)p.Name)), host.Services.GetRequiredService<WorkerProjects>().Current.Select(p => (p.ProjectId, p.Name)));
        await using var archive = UsageArchive.Open(database);
        Assert.Equal(api.Projects.Select(p => p.ProjectId).Order(StringComparer.Ordinal), (await archive.GetProjectIdsAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_names_file_stops_the_worker_with_one_line_naming_it()
    {
        var file = _dir.File("bad-names.json");
        await File.WriteAllTextAsync(file, """{ "keys": { "k": "" } }""");

        var run = await RunOnceAsync(NewApi(), [], new() { ["Archive:Projects:0"] = FakeUsageApi.DemoProjectId, ["Archive:Names"] = file });

        Assert.Equal(0, run.Cycles);
        Assert.Contains(run.Logs, m => m.StartsWith($"The names file {file} cannot be used: ", StringComparison.Ordinal) && m.Contains("'k'", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Api.RecordedRequests, r => r.Path.EndsWith("/requests", StringComparison.Ordinal));
    }

    [Fact]
    public void The_project_list_puts_configured_projects_first_adds_listed_ones_and_keeps_them_when_a_listing_fails()
    {
        var projects = new WorkerProjects();
        var listed = new[] { UsageModelFactory.UsageProject("b", "Beta"), UsageModelFactory.UsageProject("a", "Alpha"), UsageModelFactory.UsageProject("c", null), UsageModelFactory.UsageProject("B", "dup") };

        var first = projects.Update(["a", " x "], listed);
        var failed = projects.Update(["a", "x"], null);
        var shrunk = projects.Update(["x"], [UsageModelFactory.UsageProject("c", "Gamma")]);

        Assert.Equal([("a", "Alpha", false), ("x", null, false), ("b", "Beta", true), ("c", null, true)], first.Select(p => (p.ProjectId, p.Name, p.Listed)));
        Assert.Equal(first.Select(p => p.ProjectId), failed.Select(p => p.ProjectId));
        Assert.Equal("Alpha", failed[0].Name); // a name learnt once stays
        Assert.Equal([("x", "x"), ("c", "Gamma")], shrunk.Select(p => (p.ProjectId, p.DisplayName)));
        Assert.Equal(shrunk, projects.Current);
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new ListLogger(Messages);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => messages.Enqueue(formatter(state, exception));
        }
    }
}
