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

public sealed class WorkerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_worker_runs_one_cycle_in_a_test_host_syncs_the_archive_logs_and_publishes_metrics()
    {
        var time = new FakeTimeProvider(Now);
        var logs = new ListLoggerProvider();
        var database = _dir.File("worker.db");
        var builder = WorkerHost.CreateBuilder(["--demo"], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Archive:Database"] = database,
                ["Archive:RunOnce"] = "true",
                ["Archive:SyncUsage"] = "false",
                ["Telemetry:Exporter"] = "none",
            });
            b.Services.AddSingleton<TimeProvider>(time);
            b.Logging.AddProvider(logs);
        });
        using var host = builder.Build();
        var gauges = new ConcurrentDictionary<string, double>();
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
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => x.Value);
            if (t.TryGetValue("usage.dimension", out var d) && (string?)d == "total")
            {
                gauges[instrument.Name] = value;
            }
        });
        listener.Start();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await host.StartAsync(timeout.Token);
        await host.WaitForShutdownAsync(timeout.Token);
        listener.RecordObservableInstruments();

        Assert.Equal(1, host.Services.GetRequiredService<ArchiveSyncWorker>().Cycles);
        var api = host.Services.GetRequiredService<FakeUsageApi>();
        var served = api.GetRequests(FakeUsageApi.DemoProjectId).Where(r => r.Created >= Now.AddDays(-90) && r.Created <= Now).ToList();
        await using (var archive = UsageArchive.Open(database))
        {
            var stats = await archive.GetStatisticsAsync(FakeUsageApi.DemoProjectId);
            Assert.Equal(served.Count, stats.Requests);
            Assert.Equal(Now, stats.Checkpoint!.SyncedThrough);
        }
        Assert.True(logs.Messages.Any(m => m.StartsWith("Synced", StringComparison.Ordinal)), string.Join("\n", logs.Messages));
        Assert.Contains(logs.Messages, m => m.StartsWith($"Synced {FakeUsageApi.DemoProjectId}: {served.Count} request logs ({served.Count} new", StringComparison.Ordinal));
        var lastDay = served.Where(r => r.Created >= Now.AddHours(-24)).ToList();
        Assert.Equal(lastDay.Count, gauges["usage.requests"]);
        Assert.Equal((double)lastDay.Sum(r => r.Response?.Details?.Usd ?? 0), gauges["usage.cost.usd"], 6);
        Assert.True(gauges["usage.tokens.input"] > 0 && gauges["usage.audio.hours"] > 0);
    }

    [Fact]
    public async Task Without_projects_the_worker_says_what_to_set_and_stops()
    {
        var logs = new ListLoggerProvider();
        var builder = WorkerHost.CreateBuilder([], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["UsageSdk:ApiKey"] = "k",
                ["Archive:Database"] = _dir.File("none.db"),
                ["Telemetry:Exporter"] = "none",
            });
            b.Logging.AddProvider(logs);
        });
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await host.StartAsync(timeout.Token);
        await host.WaitForShutdownAsync(timeout.Token);

        Assert.Contains(logs.Messages, m => m.Contains("set Archive:Projects", StringComparison.Ordinal));
        Assert.Equal(0, host.Services.GetRequiredService<ArchiveSyncWorker>().Cycles);
    }

    [Fact]
    public async Task With_Dashboard_Enabled_the_worker_serves_the_usage_page_over_the_archive_it_syncs()
    {
        var time = new FakeTimeProvider(Now);
        var logs = new ListLoggerProvider();
        var builder = WorkerHost.CreateBuilder(["--demo"], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Archive:Database"] = _dir.File("dashboard.db"),
                ["Archive:SyncUsage"] = "false",
                ["Archive:Interval"] = "01:00:00", // the fake clock does not move: one cycle
                ["Telemetry:Exporter"] = "none",
                ["Dashboard:Enabled"] = "true",
                ["Dashboard:Port"] = "0",
            });
            b.Services.AddSingleton<TimeProvider>(time);
            b.Logging.AddProvider(logs);
        });
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await host.StartAsync(timeout.Token);
        var worker = host.Services.GetRequiredService<ArchiveSyncWorker>();
        while (worker.Cycles == 0)
        {
            await Task.Delay(20, timeout.Token);
        }

        var url = host.Services.GetRequiredService<DashboardHost>().Url!;
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/usage$", url);
        Assert.Contains(logs.Messages, m => m == "Usage dashboard at " + url);
        using var http = new HttpClient();
        var html = await http.GetStringAsync(url + "?range=today", timeout.Token);
        var today = host.Services.GetRequiredService<FakeUsageApi>().GetRequests(FakeUsageApi.DemoProjectId)
            .Count(r => r.Created >= new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero) && r.Created <= Now);
        Assert.True(today > 0);
        Assert.Contains($"data-kpi=\"requests\"><span class=\"label\" id=\"kpi-requests\">Requests</span><span class=\"value\" data-value=\"{today}\"", html, StringComparison.Ordinal);
        Assert.Contains("· archive ", html, StringComparison.Ordinal);

        await host.StopAsync(timeout.Token);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(url, timeout.Token));
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
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => messages.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}
