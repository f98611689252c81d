using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests;

/// <summary>Bad arguments fail with an ArgumentException naming the parameter, before any HTTP call.</summary>
public sealed class ArgumentTests(WireMockFixture wm) : CoreTestBase(wm)
{
    public static TheoryData<string?> BadIds => new()
    {
        null, "", " ", "\t", "a/b", "../x", "a?b", "a#b", "..", ".", "a..b", "a\nb", "a\u0000b", "a\u007fb", "a b", "a%2Fb", "a\\b", "a&b", "é", new string('a', 201),
    };

    private void AssertNothingSent() => Assert.Empty(Server.LogEntries);

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_bad_project_id_is_rejected_by_every_call(string? id)
    {
        var client = NewClient();

        Assert.Equal("projectId", Assert.Throws<ArgumentException>(() => client.GetRequestsAsync(id!)).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetRequestAsync(id!, "req-1"))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetSummaryAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetBreakdownAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetFieldsAsync(id!))).ParamName);
        AssertNothingSent();
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_bad_request_id_is_rejected(string? id)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => NewClient().GetRequestAsync(Project, id!));

        Assert.Equal("requestId", e.ParamName);
        Assert.Contains("requestId", e.Message);
        AssertNothingSent();
    }

    [Fact]
    public void The_id_message_says_what_is_allowed()
    {
        var e = Assert.Throws<ArgumentException>(() => NewClient().GetRequestsAsync("a/b"));

        Assert.Contains("letters, digits, '-', '_' and '.'", e.Message);
    }

    [Fact]
    public void A_control_character_is_printed_escaped_in_the_message()
    {
        var e = Assert.Throws<ArgumentException>(() => NewClient().GetRequestsAsync("a\nb"));

        Assert.Contains("\\u000a", e.Message);
        Assert.DoesNotContain("\n", e.Message.Split(Environment.NewLine)[0]);
    }

    [Fact]
    public async Task End_before_start_is_rejected_everywhere()
    {
        var t = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);
        var d = new DateOnly(2025, 1, 2);

        Assert.Equal("end", Assert.Throws<ArgumentException>(() => new RequestsQuery().Between(t, t.AddTicks(-1))).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => new RequestsQuery().From(t).Until(t.AddSeconds(-1))).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentException>(() => new RequestsQuery().Until(t).From(t.AddSeconds(1))).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => new UsageQuery().Between(d, d.AddDays(-1))).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => new UsageQuery().From(d).Until(d.AddDays(-1))).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentException>(() => new UsageQuery().Until(d).From(d.AddDays(1))).ParamName);
        var fields = await Assert.ThrowsAsync<ArgumentException>(() => NewClient().GetFieldsAsync(Project, d, d.AddDays(-1)));
        Assert.Equal("end", fields.ParamName);
        Assert.Contains("before the start", fields.Message);
        AssertNothingSent();
    }

    [Fact]
    public void Equal_start_and_end_are_allowed()
    {
        var t = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(t, new RequestsQuery().Between(t, t).End);
        Assert.Equal(new DateOnly(2025, 1, 2), new UsageQuery().Between(new(2025, 1, 2), new(2025, 1, 2)).End);
    }

    [Fact]
    public void An_end_before_start_across_offsets_is_compared_as_instants()
    {
        // 10:00+02:00 is 08:00Z: before 09:00Z, so this is a valid window...
        var q = new RequestsQuery().Between(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero));
        Assert.NotNull(q.End);
        // ...and the reverse is not.
        Assert.Throws<ArgumentException>(() => new RequestsQuery().Between(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(int.MaxValue)]
    public void A_page_size_out_of_1_to_1000_is_rejected(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RequestsQuery().WithPageSize(size));
        Assert.Equal("pageSize", e.ParamName);
        Assert.Contains("1 to 1000", e.Message);

        var hint = Assert.Throws<ArgumentOutOfRangeException>(() => NewClient().GetRequestsAsync(Project).AsPages(pageSizeHint: size));
        Assert.Equal("pageSizeHint", hint.ParamName);
        AssertNothingSent();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Page_sizes_1_and_1000_are_accepted(int size) => Assert.Equal(size, new RequestsQuery().WithPageSize(size).PageSize);

    [Fact]
    public void Empty_filter_values_are_rejected_with_the_parameter_name()
    {
        var u = new UsageQuery();
        var r = new RequestsQuery();

        Assert.Equal("tags", Assert.Throws<ArgumentException>(() => u.WithTags("")).ParamName);
        Assert.Equal("tags", Assert.Throws<ArgumentException>(() => u.WithTags("ok", " ")).ParamName);
        Assert.Equal("tags", Assert.Throws<ArgumentException>(() => u.WithTags("a\u0001")).ParamName);
        Assert.Equal("tags", Assert.Throws<ArgumentNullException>(() => u.WithTags((IEnumerable<string>)null!)).ParamName);
        Assert.Equal("accessors", Assert.Throws<ArgumentException>(() => u.WithAccessors("")).ParamName);
        Assert.Equal("models", Assert.Throws<ArgumentException>(() => u.WithModels(null!, "m")).ParamName);
        Assert.Equal("methods", Assert.Throws<ArgumentException>(() => u.WithMethods(default(ProcessingMethod))).ParamName);
        Assert.Equal("deployments", Assert.Throws<ArgumentException>(() => u.WithDeployments(default(Deployment))).ParamName);
        Assert.Equal("endpoints", Assert.Throws<ArgumentException>(() => u.WithEndpoints(default(Endpoint))).ParamName);
        Assert.Equal("grouping", Assert.Throws<ArgumentException>(() => u.GroupBy(default)).ParamName);
        Assert.Equal("feature", Assert.Throws<ArgumentException>(() => u.WithFeature(default)).ParamName);
        Assert.Equal("accessor", Assert.Throws<ArgumentException>(() => r.WithAccessor("")).ParamName);
        Assert.Equal("accessor", Assert.Throws<ArgumentException>(() => r.WithAccessor(null!)).ParamName);
        Assert.Equal("requestId", Assert.Throws<ArgumentException>(() => r.WithRequestId(" ")).ParamName);
        Assert.Equal("requestId", Assert.Throws<ArgumentException>(() => r.WithRequestId("a\rb")).ParamName);
        Assert.Equal("status", Assert.Throws<ArgumentException>(() => r.WithStatus(default)).ParamName);
        Assert.Equal("deployment", Assert.Throws<ArgumentException>(() => r.WithDeployment(default)).ParamName);
        Assert.Equal("endpoint", Assert.Throws<ArgumentException>(() => r.WithEndpoint(default)).ParamName);
        Assert.Equal("method", Assert.Throws<ArgumentException>(() => r.WithMethod(default)).ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("Diarize")]
    [InlineData("smart-format")]
    [InlineData("a b")]
    [InlineData("a=b")]
    [InlineData("a&b")]
    [InlineData("a\nb")]
    public void A_bad_feature_name_is_rejected(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new UsageFeature(name));

        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void A_new_feature_name_is_accepted()
    {
        Assert.Equal("brand_new_feature2", new UsageFeature("brand_new_feature2").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a&b")]
    [InlineData("a=b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a\u0000")]
    public void A_bad_parameter_name_is_rejected(string name)
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new UsageQuery().WithParameter(name, "v")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new RequestsQuery().WithParameter(name, "v")).ParamName);
    }

    [Theory]
    [InlineData("page")]
    [InlineData("limit")]
    [InlineData("start")]
    [InlineData("END")]
    public void Parameters_the_pager_controls_are_refused_on_requests(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new RequestsQuery().WithParameter(name, "1"));

        Assert.Equal("name", e.ParamName);
        Assert.Contains("set by the SDK", e.Message);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("end")]
    public void Dates_are_refused_as_raw_usage_parameters(string name)
    {
        Assert.Contains("Between", Assert.Throws<ArgumentException>(() => new UsageQuery().WithParameter(name, "2025-01-01")).Message);
    }

    [Fact]
    public void Other_known_names_pass_through_the_escape_hatch()
    {
        Assert.Equal(("grouping", "model"), (new UsageQuery().WithParameter("grouping", "model").Parameters[0].Key, "model"));
        Assert.Equal("tag", new RequestsQuery().WithParameter("tag", "dev").Parameters[0].Key);
    }

    [Fact]
    public void A_bad_parameter_value_is_rejected()
    {
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => new UsageQuery().WithParameter("x", null!)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new RequestsQuery().WithParameter("x", "a\nb")).ParamName);
    }

    [Fact]
    public void Open_enum_values_must_not_be_empty()
    {
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new ProcessingMethod("")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new Deployment(" ")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new Endpoint(null!)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new RequestStatus("")).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new UsageGrouping("")).ParamName);
    }

    [Fact]
    public void Times_out_of_range_are_rejected()
    {
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => new RequestsQuery().Between(DateTimeOffset.MinValue, DateTimeOffset.UtcNow)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentOutOfRangeException>(() => new RequestsQuery().Until(DateTimeOffset.MaxValue)).ParamName);
    }

    public static TheoryData<string> BadBaseAddresses => new()
    {
        "ftp://api.deepgram.com/",
        "file:///tmp/x",
        "ws://api.deepgram.com/",
        "http://api.deepgram.com/",      // plain http to a host that is not loopback
        "http://192.168.1.10:8080/",
        "https://api.deepgram.com/?x=1", // a query on the base
    };

    [Theory]
    [MemberData(nameof(BadBaseAddresses))]
    public void A_bad_base_address_is_rejected(string address)
    {
        var e = Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = new Uri(address) }));

        Assert.Equal("options", e.ParamName);
        Assert.Contains("BaseAddress", e.Message);
        Assert.DoesNotContain(Key, e.Message);
    }

    [Fact]
    public void A_relative_or_missing_base_address_is_rejected()
    {
        var relative = Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = new Uri("/v1", UriKind.Relative) }));
        var missing = Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = null! }));

        Assert.Contains("absolute http(s) address", relative.Message);
        Assert.Contains("BaseAddress is not set", missing.Message);
    }

    [Fact]
    public void Plain_http_is_allowed_to_loopback_or_when_opted_in()
    {
        Assert.Equal(new Uri("http://localhost:5000/"), new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = new Uri("http://localhost:5000/") }).BaseAddress);
        Assert.Equal(new Uri("http://[::1]:5000/"), new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = new Uri("http://[::1]:5000/") }).BaseAddress);
        Assert.Equal(new Uri("http://api.internal/"), new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = new Uri("http://api.internal/"), AllowInsecureTransport = true }).BaseAddress);
    }

    [Fact]
    public void Other_bad_options_name_the_setting()
    {
        Assert.Contains("Timeout", Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = Key, Timeout = TimeSpan.Zero })).Message);
        Assert.Contains("MaxRetries", Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = Key, Retry = new UsageRetryOptions { MaxRetries = -1 } })).Message);
        Assert.Contains("ApiKey contains spaces", Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = "two words" })).Message);
        Assert.Throws<ArgumentNullException>(() => new UsageClient((UsageClientOptions)null!));
    }
}
