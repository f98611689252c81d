using System.Reflection;

namespace UsageSdk.Tests.Queries;

/// <summary>Queries are immutable: every With* returns a new instance and never changes the original.</summary>
public sealed class QueryImmutabilityTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A sample argument for each parameter type a query method takes.</summary>
    private static object? Sample(ParameterInfo p, Type owner) => p.ParameterType switch
    {
        var t when t == typeof(DateTimeOffset) => p.Name == "start" ? T0 : T0.AddDays(1),
        var t when t == typeof(DateOnly) => p.Name == "start" ? new DateOnly(2025, 1, 1) : new DateOnly(2025, 1, 2),
        var t when t == typeof(int) => p.Name == "pages" ? 2 : 10,
        var t when t == typeof(bool) => false,
        var t when t == typeof(string) => p.Name == "name" ? "x_param" : "value-1",
        var t when t == typeof(IEnumerable<string>) => new[] { "v1", "v2" },
        var t when t == typeof(IEnumerable<ProcessingMethod>) => new[] { ProcessingMethod.Sync },
        var t when t == typeof(IEnumerable<Deployment>) => new[] { Deployment.Hosted },
        var t when t == typeof(IEnumerable<Endpoint>) => new[] { Endpoint.Listen },
        var t when t == typeof(IEnumerable<BillingGrouping>) => new[] { BillingGrouping.Accessor, BillingGrouping.LineItem },
        var t when t == typeof(UsageFeature) => UsageFeature.Diarize,
        var t when t == typeof(UsageGrouping) => UsageGrouping.Models,
        var t when t == typeof(RequestStatus) => RequestStatus.Failed,
        var t when t == typeof(Deployment) => Deployment.Beta,
        var t when t == typeof(Endpoint) => Endpoint.Speak,
        var t when t == typeof(ProcessingMethod) => ProcessingMethod.Async,
        _ => throw new InvalidOperationException($"No sample for {owner.Name}.{p.Member.Name}({p.ParameterType.Name} {p.Name}); add one."),
    };

    private static string Snapshot(object query)
        => string.Join("\n", query.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.Name + "=" + Describe(p.GetValue(query))));

    private static string Describe(object? v) => v switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Describe)) + "]",
        _ => v.ToString() ?? "",
    };

    public static TheoryData<Type> QueryTypes => new() { typeof(UsageQuery), typeof(RequestsQuery), typeof(BillingQuery) };

    [Theory]
    [MemberData(nameof(QueryTypes))]
    public void Every_fluent_method_returns_a_new_query_and_leaves_the_original_unchanged(Type type)
    {
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == type)
            .ToList();
        Assert.True(methods.Count >= 8, $"{type.Name} has {methods.Count} fluent methods");

        foreach (var m in methods)
        {
            var original = Activator.CreateInstance(type)!;
            var before = Snapshot(original);

            var result = m.Invoke(original, m.GetParameters().Select(p => Sample(p, type)).ToArray())!;

            Assert.NotSame(original, result);
            Assert.Equal(before, Snapshot(original));
            Assert.NotEqual(before, Snapshot(result)); // the new query did take the value
        }
    }

    /// <summary>Duplicates are dropped, not rejected, within one call and across calls, and the first order is kept.</summary>
    [Fact]
    public void Multi_valued_filters_called_twice_add_values_in_order_without_duplicates()
    {
        var q = new UsageQuery()
            .WithAccessors("a1", "a2", "a1").WithAccessors("a2", "a3")
            .WithTags("dev", "prod", "dev").WithTags("prod", "dev", "qa")
            .WithModels("m1", "m1").WithModels("m2", "m1")
            .WithMethods(ProcessingMethod.Sync, ProcessingMethod.Sync).WithMethods(ProcessingMethod.Streaming, ProcessingMethod.Sync)
            .WithDeployments(Deployment.Hosted, Deployment.Hosted).WithDeployments(Deployment.Beta, Deployment.Hosted)
            .WithEndpoints(Endpoint.Listen, Endpoint.Listen).WithEndpoints(Endpoint.Listen, Endpoint.Speak);

        Assert.Equal(["a1", "a2", "a3"], q.Accessors);
        Assert.Equal(["dev", "prod", "qa"], q.Tags);
        Assert.Equal(["m1", "m2"], q.Models);
        Assert.Equal([ProcessingMethod.Sync, ProcessingMethod.Streaming], q.Methods);
        Assert.Equal([Deployment.Hosted, Deployment.Beta], q.Deployments);
        Assert.Equal([Endpoint.Listen, Endpoint.Speak], q.Endpoints);
    }

    [Fact]
    public void Duplicates_are_compared_exactly_for_strings_and_case_insensitively_for_open_enums()
    {
        var q = new UsageQuery().WithTags("Dev", "dev").WithMethods(new ProcessingMethod("SYNC"), ProcessingMethod.Sync).WithMethods(ProcessingMethod.Sync);

        Assert.Equal(["Dev", "dev"], q.Tags);
        Assert.Single(q.Methods);
    }

    [Fact]
    public void Between_GroupBy_WithStatus_and_WithPageSize_replace()
    {
        var u = new UsageQuery()
            .Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)).Between(new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28))
            .GroupBy(UsageGrouping.Tags).GroupBy(UsageGrouping.Models);
        var r = new RequestsQuery()
            .Between(T0, T0.AddDays(1)).Between(T0.AddDays(2), T0.AddDays(3))
            .WithStatus(RequestStatus.Failed).WithStatus(RequestStatus.Succeeded)
            .WithPageSize(10).WithPageSize(20);

        Assert.Equal((new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28)), (u.Start!.Value, u.End!.Value));
        Assert.Equal(UsageGrouping.Models, u.Grouping);
        Assert.Equal((T0.AddDays(2), T0.AddDays(3)), (r.Start!.Value, r.End!.Value));
        Assert.Equal(RequestStatus.Succeeded, r.Status);
        Assert.Equal(20, r.PageSize);
    }

    [Fact]
    public void A_feature_set_again_replaces_its_value_in_place()
    {
        var q = new UsageQuery().WithFeature(UsageFeature.Diarize).WithFeature(UsageFeature.Punctuate).WithoutFeature(UsageFeature.Diarize);

        Assert.Equal(
            [new KeyValuePair<UsageFeature, bool>(UsageFeature.Diarize, false), new KeyValuePair<UsageFeature, bool>(UsageFeature.Punctuate, true)],
            q.Features);
    }

    [Fact]
    public void A_shared_query_can_be_extended_from_many_threads()
    {
        var shared = new UsageQuery().WithTags("base");

        var results = Enumerable.Range(0, 64).AsParallel().Select(i => shared.WithTags($"t{i}")).ToList();

        Assert.Equal(["base"], shared.Tags);
        Assert.All(results, r => Assert.Equal(2, r.Tags.Count));
    }

    [Fact]
    public void The_exposed_lists_cannot_be_changed_through_a_cast()
    {
        var q = new UsageQuery().WithTags("a");

        var asList = Assert.IsAssignableFrom<IList<string>>(q.Tags);
        Assert.Throws<NotSupportedException>(() => asList.Add("b"));
        Assert.Equal(["a"], q.Tags);
    }
}
