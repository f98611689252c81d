namespace UsageSdk.Tests.Queries;

/// <summary>BillingQuery: single-valued filters replace, GroupBy replaces (duplicates dropped, order kept), bad input fails at once.</summary>
public sealed class BillingQueryTests
{
    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Jan31 = new(2025, 1, 31);

    [Fact]
    public void Single_valued_filters_replace_earlier_values()
    {
        var q = new BillingQuery()
            .WithAccessor("acc-1").WithAccessor("acc-2")
            .WithDeployment(Deployment.Hosted).WithDeployment(Deployment.SelfHosted)
            .WithTag("dev").WithTag("prod")
            .WithLineItem("sync::nova-2").WithLineItem("streaming::nova-3")
            .Between(Jan1, Jan31).Between(Jan31, Jan31);

        Assert.Equal("acc-2", q.Accessor);
        Assert.Equal(Deployment.SelfHosted, q.Deployment);
        Assert.Equal("prod", q.Tag);
        Assert.Equal("streaming::nova-3", q.LineItem);
        Assert.Equal((Jan31, Jan31), (q.Start!.Value, q.End!.Value));
    }

    [Fact]
    public void GroupBy_replaces_and_keeps_the_order_without_duplicates()
    {
        var first = new BillingQuery().GroupBy(BillingGrouping.Tags);
        var q = first.GroupBy(BillingGrouping.LineItem, BillingGrouping.Accessor, new BillingGrouping("LINE_ITEM"));

        Assert.Equal([BillingGrouping.LineItem, BillingGrouping.Accessor], q.Grouping);
        Assert.Equal([BillingGrouping.Tags], first.Grouping);
        Assert.Empty(new BillingQuery().Grouping);
    }

    [Fact]
    public void Bad_arguments_fail_with_a_message_that_says_what_to_fix()
    {
        var q = new BillingQuery();

        Assert.Contains("before the start", Assert.Throws<ArgumentException>(() => q.Between(Jan31, Jan1)).Message, StringComparison.Ordinal);
        Assert.Contains("after the end", Assert.Throws<ArgumentException>(() => q.Until(Jan1).From(Jan31)).Message, StringComparison.Ordinal);
        Assert.Contains("before the start", Assert.Throws<ArgumentException>(() => q.From(Jan31).Until(Jan1)).Message, StringComparison.Ordinal);
        Assert.Equal("accessor", Assert.Throws<ArgumentException>(() => q.WithAccessor(" ")).ParamName);
        Assert.Equal("tag", Assert.Throws<ArgumentException>(() => q.WithTag("a\nb")).ParamName);
        Assert.Equal("lineItem", Assert.Throws<ArgumentException>(() => q.WithLineItem("")).ParamName);
        Assert.Equal("deployment", Assert.Throws<ArgumentException>(() => q.WithDeployment(default)).ParamName);
        Assert.Contains("at least one grouping", Assert.Throws<ArgumentException>(() => q.GroupBy()).Message, StringComparison.Ordinal);
        Assert.Equal("groupings", Assert.Throws<ArgumentException>(() => q.GroupBy(default(BillingGrouping))).ParamName);
        Assert.Contains("Between", Assert.Throws<ArgumentException>(() => q.WithParameter("start", "2025-01-01")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BillingGrouping(" "));
    }

    [Fact]
    public void BillingGrouping_is_an_open_enum_compared_without_case()
    {
        Assert.Equal("line_item", BillingGrouping.LineItem.ToString());
        Assert.Equal(BillingGrouping.Tags, new BillingGrouping("TAGS"));
        Assert.Equal("per_region", ((BillingGrouping)"per_region").ToString());
        Assert.NotEqual(BillingGrouping.Accessor, BillingGrouping.Deployment);
    }

    [Fact]
    public void ToString_lists_the_filters()
        => Assert.Equal(
            "BillingQuery { Start = 2025-01-01, End = 2025-01-31, Accessor = a, Deployment = hosted, Tag = t, LineItem = sync::x, Grouping = [accessor, tags] }",
            new BillingQuery().Between(Jan1, Jan31).WithAccessor("a").WithDeployment(Deployment.Hosted).WithTag("t").WithLineItem("sync::x").GroupBy(BillingGrouping.Accessor, BillingGrouping.Tags).ToString());
}
