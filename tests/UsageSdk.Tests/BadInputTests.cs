using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UsageSdk.Internal;
using UsageSdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace UsageSdk.Tests;

/// <summary>
/// Bad input, table-driven over every public method and option: each case must fail with an
/// <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> names the argument (for options:
/// <c>options</c>, and the message names the setting), and no request may leave the process.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    /// <summary>The number of cases in <see cref="Every_bad_input_fails_before_any_request_and_names_its_argument"/> (docs/reliability.md quotes it).</summary>
    public const int ExpectedCases = 485;

    private static readonly DateTimeOffset T = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Ids that are null, empty, white space, path-changing, encoded, with control characters, or too long.</summary>
    public static readonly string?[] BadIds =
    [
        null, "", " ", "\t", "\u00a0", "a/b", "/", "a?b", "?x=1", "a#b", "#", "..", ".", "../x", "a/../b", "x/..", "%2F", "a%2Fb", "%2e%2e",
        "a\nb", "a\rb", "a\0b", "\u007f", "a\u0085b", "a b", "a\\b", "a;b", "a&b=c", "a:b", "é", new string('a', 201),
    ];

    private sealed record Case(string Name, string ParamName, Func<UsageClient, object?> Act, string? Mentions = null);

    private static IEnumerable<Case> MethodCases()
    {
        const string ok = Clients.Project;
        foreach (var id in BadIds)
        {
            var shown = OpenEnum.Printable(id);
            yield return new($"GetRequestsAsync(projectId: '{shown}')", "projectId", c => c.GetRequestsAsync(id!));
            yield return new($"GetRequestAsync(projectId: '{shown}')", "projectId", c => c.GetRequestAsync(id!, "r-1"));
            yield return new($"GetRequestAsync(requestId: '{shown}')", "requestId", c => c.GetRequestAsync(ok, id!));
            yield return new($"GetSummaryAsync(projectId: '{shown}')", "projectId", c => c.GetSummaryAsync(id!));
            yield return new($"GetBreakdownAsync(projectId: '{shown}')", "projectId", c => c.GetBreakdownAsync(id!));
            yield return new($"GetFieldsAsync(projectId: '{shown}')", "projectId", c => c.GetFieldsAsync(id!));
        }
        yield return new("GetFieldsAsync(end before start)", "end", c => c.GetFieldsAsync(ok, new DateOnly(2025, 2, 1), new DateOnly(2025, 1, 31)));

        // AsPages: garbage continuation tokens and page sizes.
        var query = new RequestsQuery().WithPageSize(5);
        var fp = query.Fingerprint();
        var goodToken = new PageToken(2, T, 5, fp).ToString();
        string[] garbage =
        [
            "", " ", "garbage", "v1", "v1....", "v2.1.0.5." + fp.ToString("x8"), "v1.-1.0.5." + fp.ToString("x8"), "v1.1.0.0." + fp.ToString("x8"),
            "v1.1.0.1001." + fp.ToString("x8"), "v1.99999999999.0.5." + fp.ToString("x8"), "v1.1.99999999999999999999.5." + fp.ToString("x8"),
            "v1.1.-5.5." + fp.ToString("x8"), "v1.1.0.5.zzzz", "v1.1.0.5." + fp.ToString("x8") + ".extra", goodToken + "\n", goodToken.Replace("v1", "V1", StringComparison.Ordinal),
            new PageToken(2, T, 5, fp ^ 1).ToString(), // made for another query
            new string('9', 10_000),
        ];
        foreach (var token in garbage)
        {
            yield return new($"AsPages(continuationToken: '{OpenEnum.Printable(token, 40)}')", "continuationToken", c => c.GetRequestsAsync(ok, query).AsPages(token));
        }
        foreach (var hint in new[] { 0, -1, 1001, int.MinValue, int.MaxValue })
        {
            yield return new($"AsPages(pageSizeHint: {hint})", "pageSizeHint", c => c.GetRequestsAsync(ok, query).AsPages(null, hint));
        }
        yield return new("AsPages(token of page size 5, pageSizeHint: 10)", "pageSizeHint", c => c.GetRequestsAsync(ok, query).AsPages(goodToken, 10));
        yield return new("AsPages(token of another query)", "continuationToken", c => c.GetRequestsAsync(ok, query.WithStatus(RequestStatus.Failed)).AsPages(goodToken));
    }

    private static IEnumerable<Case> QueryCases()
    {
        // RequestsQuery
        yield return new("RequestsQuery.Between(end before start)", "end", _ => new RequestsQuery().Between(T, T.AddTicks(-1)));
        yield return new("RequestsQuery.Between(MinValue, t)", "start", _ => new RequestsQuery().Between(DateTimeOffset.MinValue, T));
        yield return new("RequestsQuery.Between(t, MaxValue)", "end", _ => new RequestsQuery().Between(T, DateTimeOffset.MaxValue));
        yield return new("RequestsQuery.Between(MinValue, MinValue)", "start", _ => new RequestsQuery().Between(DateTimeOffset.MinValue, DateTimeOffset.MinValue));
        yield return new("RequestsQuery.Between(1969-12-31, t)", "start", _ => new RequestsQuery().Between(new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero), T));
        yield return new("RequestsQuery.From(MinValue)", "start", _ => new RequestsQuery().From(DateTimeOffset.MinValue));
        yield return new("RequestsQuery.From(MaxValue)", "start", _ => new RequestsQuery().From(DateTimeOffset.MaxValue));
        yield return new("RequestsQuery.Until(MinValue)", "end", _ => new RequestsQuery().Until(DateTimeOffset.MinValue));
        yield return new("RequestsQuery.Until(MaxValue)", "end", _ => new RequestsQuery().Until(DateTimeOffset.MaxValue));
        yield return new("RequestsQuery.From(t).Until(before t)", "end", _ => new RequestsQuery().From(T).Until(T.AddSeconds(-1)));
        yield return new("RequestsQuery.Until(t).From(after t)", "start", _ => new RequestsQuery().Until(T).From(T.AddSeconds(1)));
        yield return new("RequestsQuery.Between(+14:00 end before -12:00 start)", "end", _ => new RequestsQuery().Between(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(-12)), new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.FromHours(14))));
        foreach (var size in new[] { 0, -1, 1001, int.MinValue, int.MaxValue })
        {
            yield return new($"RequestsQuery.WithPageSize({size})", "pageSize", _ => new RequestsQuery().WithPageSize(size));
        }
        foreach (var v in new[] { null, "", " ", "\t", "a\nb", "a\0", "\u001b[31m" })
        {
            yield return new($"RequestsQuery.WithAccessor('{OpenEnum.Printable(v)}')", "accessor", _ => new RequestsQuery().WithAccessor(v!));
            yield return new($"RequestsQuery.WithRequestId('{OpenEnum.Printable(v)}')", "requestId", _ => new RequestsQuery().WithRequestId(v!));
        }
        yield return new("RequestsQuery.WithStatus(default)", "status", _ => new RequestsQuery().WithStatus(default));
        yield return new("RequestsQuery.WithDeployment(default)", "deployment", _ => new RequestsQuery().WithDeployment(default));
        yield return new("RequestsQuery.WithEndpoint(default)", "endpoint", _ => new RequestsQuery().WithEndpoint(default));
        yield return new("RequestsQuery.WithMethod(default)", "method", _ => new RequestsQuery().WithMethod(default));
        foreach (var pages in new[] { 0, -1, 17, int.MaxValue })
        {
            yield return new($"RequestsQuery.WithPrefetch({pages})", "pages", _ => new RequestsQuery().WithPrefetch(pages));
        }
        foreach (var (name, value, param) in BadParameters())
        {
            yield return new($"RequestsQuery.WithParameter('{OpenEnum.Printable(name)}', '{OpenEnum.Printable(value)}')", param, _ => new RequestsQuery().WithParameter(name!, value!));
            yield return new($"UsageQuery.WithParameter('{OpenEnum.Printable(name)}', '{OpenEnum.Printable(value)}')", param, _ => new UsageQuery().WithParameter(name!, value!));
        }

        // UsageQuery
        var d = new DateOnly(2025, 3, 1);
        yield return new("UsageQuery.Between(end before start)", "end", _ => new UsageQuery().Between(d, d.AddDays(-1)));
        yield return new("UsageQuery.Between(MaxValue, MinValue)", "end", _ => new UsageQuery().Between(DateOnly.MaxValue, DateOnly.MinValue));
        yield return new("UsageQuery.From(d).Until(before d)", "end", _ => new UsageQuery().From(d).Until(d.AddDays(-1)));
        yield return new("UsageQuery.Until(d).From(after d)", "start", _ => new UsageQuery().Until(d).From(d.AddDays(1)));
        yield return new("UsageQuery.Between(d, d+1).From(d+2)", "start", _ => new UsageQuery().Between(d, d.AddDays(1)).From(d.AddDays(2)));
        yield return new("UsageQuery.Between(d, d+1).Until(d-1)", "end", _ => new UsageQuery().Between(d, d.AddDays(1)).Until(d.AddDays(-1)));
        foreach (var v in new[] { null, "", " ", "\t", "a\nb", "a\0", "\u001b[31m" })
        {
            var shown = OpenEnum.Printable(v);
            yield return new($"UsageQuery.WithAccessors('{shown}')", "accessors", _ => new UsageQuery().WithAccessors(v!));
            yield return new($"UsageQuery.WithTags('{shown}')", "tags", _ => new UsageQuery().WithTags(v!));
            yield return new($"UsageQuery.WithModels('{shown}')", "models", _ => new UsageQuery().WithModels(v!));
            yield return new($"UsageQuery.WithTags('ok', '{shown}')", "tags", _ => new UsageQuery().WithTags("ok", v!));
        }
        yield return new("UsageQuery.WithAccessors(null list)", "accessors", _ => new UsageQuery().WithAccessors((IEnumerable<string>)null!));
        yield return new("UsageQuery.WithTags(null list)", "tags", _ => new UsageQuery().WithTags((IEnumerable<string>)null!));
        yield return new("UsageQuery.WithModels(null list)", "models", _ => new UsageQuery().WithModels((IEnumerable<string>)null!));
        yield return new("UsageQuery.WithMethods(null list)", "methods", _ => new UsageQuery().WithMethods((IEnumerable<ProcessingMethod>)null!));
        yield return new("UsageQuery.WithDeployments(null list)", "deployments", _ => new UsageQuery().WithDeployments((IEnumerable<Deployment>)null!));
        yield return new("UsageQuery.WithEndpoints(null list)", "endpoints", _ => new UsageQuery().WithEndpoints((IEnumerable<Endpoint>)null!));
        yield return new("UsageQuery.WithMethods(default)", "methods", _ => new UsageQuery().WithMethods(default(ProcessingMethod)));
        yield return new("UsageQuery.WithMethods(sync, default)", "methods", _ => new UsageQuery().WithMethods(ProcessingMethod.Sync, default));
        yield return new("UsageQuery.WithDeployments(default)", "deployments", _ => new UsageQuery().WithDeployments(default(Deployment)));
        yield return new("UsageQuery.WithEndpoints(default)", "endpoints", _ => new UsageQuery().WithEndpoints(default(Endpoint)));
        yield return new("UsageQuery.WithFeature(default)", "feature", _ => new UsageQuery().WithFeature(default));
        yield return new("UsageQuery.WithFeature(default, false)", "feature", _ => new UsageQuery().WithFeature(default, false));
        yield return new("UsageQuery.WithoutFeature(default)", "feature", _ => new UsageQuery().WithoutFeature(default));
        yield return new("UsageQuery.GroupBy(default)", "grouping", _ => new UsageQuery().GroupBy(default));

        // Open enums: feature names are a-z, 0-9 and _ only; the others take any non-blank value (sent encoded).
        foreach (var name in new[] { null, "", " ", "Diarize", "DIARIZE", "dia rize", "a-b", "a.b", "a=b", "a&b", "a/b", "a?b", "a#b", "a\n", "\0", "é", "%2F", "a+b", "diarize=true&tag" })
        {
            yield return new($"new UsageFeature('{OpenEnum.Printable(name)}')", "value", _ => new UsageFeature(name!));
        }
        yield return new("(UsageFeature)\"smart format\"", "value", _ => (UsageFeature)"smart format");
        foreach (var blank in new[] { null, "", " ", "\t\r\n" })
        {
            var shown = OpenEnum.Printable(blank);
            yield return new($"new UsageGrouping('{shown}')", "value", _ => new UsageGrouping(blank!));
            yield return new($"new ProcessingMethod('{shown}')", "value", _ => new ProcessingMethod(blank!));
            yield return new($"new RequestStatus('{shown}')", "value", _ => new RequestStatus(blank!));
            yield return new($"new Deployment('{shown}')", "value", _ => new Deployment(blank!));
            yield return new($"new Endpoint('{shown}')", "value", _ => new Endpoint(blank!));
        }
    }

    private static IEnumerable<(string? Name, string? Value, string Param)> BadParameters()
    {
        foreach (var name in new[] { null, "", " ", "a b", "a&b", "a=b", "a#", "a/b", "a?b", "é", "a\nb", "%2F" })
        {
            yield return (name, "v", "name");
        }
        yield return ("x", null, "value");
        yield return ("x", "a\nb", "value");
        yield return ("x", "\0", "value");
    }

    /// <summary>Options that must be refused: the setting named in the message.</summary>
    private static IEnumerable<(string Name, string Setting, Action<UsageClientOptions> Set)> BadOptions()
    {
        yield return ("no key", "ApiKey", o => o.ApiKey = null);
        yield return ("empty key", "ApiKey", o => o.ApiKey = "");
        yield return ("blank key", "ApiKey", o => o.ApiKey = "   ");
        yield return ("key with a space", "ApiKey", o => o.ApiKey = "abc def");
        yield return ("key with CR LF (header injection)", "ApiKey", o => o.ApiKey = "abc\r\nX-Evil: 1");
        yield return ("key with NUL", "ApiKey", o => o.ApiKey = "abc\0def");
        yield return ("token with LF", "AccessToken", o => { o.ApiKey = null; o.AccessToken = "eyJ\nabc"; }
        );
        yield return ("blank token", "ApiKey", o => { o.ApiKey = null; o.AccessToken = " "; }
        );
        yield return ("key and token", "AccessToken", o => o.AccessToken = "eyJhbGciOi.x.y");
        yield return ("no base address", "BaseAddress", o => o.BaseAddress = null!);
        yield return ("relative base address", "BaseAddress", o => o.BaseAddress = new Uri("/v1", UriKind.Relative));
        yield return ("relative host-less base address", "BaseAddress", o => o.BaseAddress = new Uri("api.deepgram.com", UriKind.Relative));
        yield return ("ftp base address", "BaseAddress", o => o.BaseAddress = new Uri("ftp://api.deepgram.com"));
        yield return ("file base address", "BaseAddress", o => o.BaseAddress = new Uri("file:///tmp/usage"));
        yield return ("ws base address", "BaseAddress", o => o.BaseAddress = new Uri("ws://127.0.0.1:8080"));
        yield return ("wss base address", "BaseAddress", o => o.BaseAddress = new Uri("wss://api.deepgram.com"));
        yield return ("mailto base address", "BaseAddress", o => o.BaseAddress = new Uri("mailto:ops@example.com"));
        yield return ("urn base address", "BaseAddress", o => o.BaseAddress = new Uri("urn:deepgram:usage"));
        yield return ("plain http to a public host", "AllowInsecureTransport", o => o.BaseAddress = new Uri("http://api.deepgram.com"));
        yield return ("plain http to a private IP", "AllowInsecureTransport", o => o.BaseAddress = new Uri("http://10.0.0.7:8080"));
        yield return ("plain http to a look-alike of localhost", "AllowInsecureTransport", o => o.BaseAddress = new Uri("http://localhost.example.com"));
        yield return ("base address with a query", "BaseAddress", o => o.BaseAddress = new Uri("https://api.deepgram.com/?key=1"));
        yield return ("base address with a fragment", "BaseAddress", o => o.BaseAddress = new Uri("https://api.deepgram.com/#x"));
        yield return ("zero timeout", "Timeout", o => o.Timeout = TimeSpan.Zero);
        yield return ("negative timeout", "Timeout", o => o.Timeout = TimeSpan.FromSeconds(-1));
        yield return ("timeout over 24 days", "Timeout", o => o.Timeout = TimeSpan.FromDays(30));
        yield return ("no retry options", "Retry", o => o.Retry = null!);
        yield return ("negative retries", "MaxRetries", o => o.Retry.MaxRetries = -1);
        yield return ("21 retries", "MaxRetries", o => o.Retry.MaxRetries = 21);
        yield return ("negative delay", "Delay", o => o.Retry.Delay = TimeSpan.FromMilliseconds(-1));
        yield return ("negative max delay", "MaxDelay", o => o.Retry.MaxDelay = TimeSpan.FromMilliseconds(-1));
        yield return ("negative Retry-After cap", "MaxRetryAfter", o => o.Retry.MaxRetryAfter = TimeSpan.FromMilliseconds(-1));
        yield return ("zero try timeout", "TryTimeout", o => o.Retry.TryTimeout = TimeSpan.Zero);
        yield return ("negative try timeout", "TryTimeout", o => o.Retry.TryTimeout = TimeSpan.FromSeconds(-5));
        yield return ("try timeout over 24 days", "TryTimeout", o => o.Retry.TryTimeout = TimeSpan.FromDays(25));
        yield return ("no log states", "LogStates", o => o.LogStates = null!);
        yield return ("negative pending time", "PendingFor", o => o.LogStates.PendingFor = TimeSpan.FromMinutes(-1));
        yield return ("lost before pending ends", "LostAfter", o => o.LogStates.LostAfter = TimeSpan.FromMinutes(1));
        yield return ("zero response cap", "MaxResponseBytes", o => o.MaxResponseBytes = 0);
        yield return ("negative response cap", "MaxResponseBytes", o => o.MaxResponseBytes = -1);
        yield return ("response cap under 1 KiB", "MaxResponseBytes", o => o.MaxResponseBytes = 1023);
        yield return ("zero JSON depth", "MaxJsonDepth", o => o.MaxJsonDepth = 0);
        yield return ("negative JSON depth", "MaxJsonDepth", o => o.MaxJsonDepth = -1);
        yield return ("JSON depth 7", "MaxJsonDepth", o => o.MaxJsonDepth = 7);
        yield return ("JSON depth 1025", "MaxJsonDepth", o => o.MaxJsonDepth = 1025);
        yield return ("no clock", "TimeProvider", o => o.TimeProvider = null!);
        yield return ("user agent with CR LF (header injection)", "UserAgent", o => o.UserAgent = "my-app/1.0\r\nX-Evil: 1");
        yield return ("user agent that is not a product token", "UserAgent", o => o.UserAgent = "my app (1.0");
    }

    private static IEnumerable<Case> ClientCases()
    {
        foreach (var key in new[] { null, "", " ", "\t", "abc def", "abc\r\nX-Evil: 1", "abc\0" })
        {
            yield return new($"new UsageClient(apiKey: '{OpenEnum.Printable(key)}')", "apiKey", _ => new UsageClient(key!));
        }
        yield return new("new UsageClient(options: null)", "options", _ => new UsageClient((UsageClientOptions)null!));
    }

    private static IEnumerable<Case> RegistrationCases()
    {
        IServiceCollection? none = null;
        yield return new("AddUsageClient(services: null, configure)", "services", _ => none!.AddUsageClient(o => { }));
        yield return new("AddUsageClient(services: null, configuration)", "services", _ => none!.AddUsageClient(new ConfigurationBuilder().Build()));
        yield return new("AddUsageClient(configure: null)", "configure", _ => new ServiceCollection().AddUsageClient((Action<UsageClientOptions>)null!));
        yield return new("AddUsageClient(configuration: null)", "configuration", _ => new ServiceCollection().AddUsageClient((IConfiguration)null!));
        foreach (var name in new[] { null, "", " " })
        {
            yield return new($"AddUsageClient(name: '{OpenEnum.Printable(name)}', configure)", "name", _ => new ServiceCollection().AddUsageClient(name!, o => { }));
            yield return new($"AddUsageClient(name: '{OpenEnum.Printable(name)}', configuration)", "name", _ => new ServiceCollection().AddUsageClient(name!, new ConfigurationBuilder().Build()));
        }
        yield return new("AddUsageClient(name, configure: null)", "configure", _ => new ServiceCollection().AddUsageClient("a", (Action<UsageClientOptions>)null!));
        yield return new("AddUsageClient(name, configuration: null)", "configuration", _ => new ServiceCollection().AddUsageClient("a", (IConfiguration)null!));
    }

    [Fact]
    public async Task Every_bad_input_fails_before_any_request_and_names_its_argument()
    {
        var recorder = new RecordingHandler();
        var client = Clients.Create(recorder);
        var failures = new List<string>();
        var cases = 0;

        foreach (var c in MethodCases().Concat(QueryCases()).Concat(ClientCases()).Concat(RegistrationCases()))
        {
            cases++;
            var e = await CaptureAsync(() => c.Act(client));
            Check(failures, c.Name, e, c.ParamName, c.Mentions);
        }

        foreach (var (name, setting, set) in BadOptions())
        {
            cases++;
            var options = Clients.Options(recorder, set);
            var e = await CaptureAsync(() => new UsageClient(options));
            Check(failures, "options: " + name, e, "options", setting);
        }

        foreach (var (name, setting, set) in BadOptions())
        {
            // The same settings through dependency injection: an options validation error naming the setting.
            cases++;
            var services = new ServiceCollection();
            services.AddUsageClient(o =>
            {
                o.ApiKey = Clients.Key;
                o.BaseAddress = Clients.Base;
                o.Transport = recorder;
                set(o);
            });
            await using var provider = services.BuildServiceProvider();
            var e = await CaptureAsync(() => provider.GetRequiredService<UsageClient>());
            if (e is not OptionsValidationException v || !v.Message.Contains(setting, StringComparison.Ordinal))
            {
                failures.Add($"DI options: {name}: expected an OptionsValidationException naming {setting}, got {Describe(e)}");
            }
        }

        output.WriteLine($"{cases} bad inputs tried; {recorder.Count} requests sent.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join("\n", failures));
        Assert.Equal(0, recorder.Count);
        Assert.Equal(ExpectedCases, cases);
    }

    /// <summary>Values with <c>&amp;</c>, <c>=</c>, <c>#</c>, <c>/</c>, <c>..</c>, <c>%2F</c> go out encoded in their own key: they cannot change the path or add a parameter.</summary>
    [Fact]
    public async Task Query_values_can_never_change_the_path_or_add_parameters()
    {
        var recorder = new RecordingHandler
        {
            Respond = (r, _) => Task.FromResult(RecordingHandler.Json(r.RequestUri!.AbsolutePath.EndsWith("/requests", StringComparison.Ordinal)
                ? """{"page":0,"limit":10,"requests":[]}"""
                : """{"start":"2025-01-01","end":"2025-01-02","resolution":{"units":"day","amount":1},"results":[]}""")),
        };
        var client = Clients.Create(recorder);
        string[] evil = ["a&status=failed", "x=1", "a#frag", "../../admin", "%2F..%2F", "a/b?c=d", "a+b c", "ü€"];
        foreach (var v in evil)
        {
            await foreach (var _ in client.GetRequestsAsync(Clients.Project, new RequestsQuery().WithAccessor(v).WithRequestId(v).WithPageSize(10)))
            {
            }
            await client.GetBreakdownAsync(Clients.Project, new UsageQuery().WithTags(v).WithAccessors(v).WithModels(v).GroupBy(new UsageGrouping(v)).WithParameter("extra", v));
        }
        Assert.Equal(evil.Length * 2, recorder.Count);
        for (var i = 0; i < evil.Length; i++)
        {
            var list = recorder.Requests[2 * i].RequestUri!;
            Assert.Equal($"/v1/projects/{Clients.Project}/requests", list.AbsolutePath);
            var lq = Parse(list.Query);
            Assert.Equal([evil[i]], lq.Where(p => p.Key == "accessor").Select(p => p.Value));
            Assert.Equal([evil[i]], lq.Where(p => p.Key == "request_id").Select(p => p.Value));
            Assert.DoesNotContain(lq, p => p.Key is "status" or "x" or "c");
            Assert.Equal(string.Empty, list.Fragment);

            var breakdown = recorder.Requests[(2 * i) + 1].RequestUri!;
            Assert.Equal($"/v1/projects/{Clients.Project}/usage/breakdown", breakdown.AbsolutePath);
            var bq = Parse(breakdown.Query);
            foreach (var key in new[] { "tag", "accessor", "model", "grouping", "extra" })
            {
                Assert.Equal([evil[i]], bq.Where(p => p.Key == key).Select(p => p.Value));
            }
            Assert.Equal(5, bq.Count);
        }
    }

    private static List<KeyValuePair<string, string>> Parse(string query)
        => query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(Uri.UnescapeDataString(kv[0]), Uri.UnescapeDataString(kv.Length > 1 ? kv[1].Replace('+', ' ') : "")))
            .ToList();

    private static async Task<Exception?> CaptureAsync(Func<object?> act)
    {
        try
        {
            switch (act())
            {
                case Task t:
                    await t;
                    break;
                case IAsyncEnumerable<Page<UsageRequest>> pages:
                    await using (var e = pages.GetAsyncEnumerator())
                    {
                        await e.MoveNextAsync();
                    }
                    break;
                case IAsyncEnumerable<UsageRequest> items:
                    await using (var e = items.GetAsyncEnumerator())
                    {
                        await e.MoveNextAsync();
                    }
                    break;
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static void Check(List<string> failures, string name, Exception? e, string paramName, string? mentions)
    {
        if (e is not ArgumentException a)
        {
            failures.Add($"{name}: expected ArgumentException({paramName}), got {Describe(e)}");
            return;
        }
        if (a.ParamName != paramName)
        {
            failures.Add($"{name}: ParamName is '{a.ParamName}', expected '{paramName}' ({a.Message})");
        }
        if (mentions is not null && !a.Message.Contains(mentions, StringComparison.Ordinal))
        {
            failures.Add($"{name}: the message does not name {mentions}: {a.Message}");
        }
        if (a.Message.Contains(Clients.Key, StringComparison.Ordinal))
        {
            failures.Add($"{name}: the message shows the key");
        }
    }

    private static string Describe(Exception? e) => e is null ? "no exception" : $"{e.GetType().Name}: {e.Message}";
}
