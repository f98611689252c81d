using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>Which filter options a command takes.</summary>
[Flags]
internal enum Filters
{
    None = 0,
    Dates = 1,
    Accessor = 2,
    Tag = 4,
    Method = 8,
    Model = 16,
    Feature = 32,
    Deployment = 64,
    Endpoint = 128,
    Status = 256,
    GroupBy = 512,
    PageSize = 1024,
    Limit = 2048,

    /// <summary>The filters of /usage and /usage/breakdown.</summary>
    Usage = Dates | Accessor | Tag | Method | Model | Feature | Deployment | Endpoint,

    /// <summary>The filters of /requests (tag, model and feature are applied on the client: the endpoint has no such filter).</summary>
    Requests = Usage | Status | PageSize | Limit,
}

/// <summary>
/// The filter options (--start --end --accessor --tag --method --model --feature --deployment --endpoint --status
/// --group-by --page-size --limit), added to a command with <see cref="AddTo"/> and turned into SDK queries with
/// <see cref="ToRequestsQuery"/> / <see cref="ToUsageQuery"/>. Make one instance per command.
/// </summary>
internal sealed partial class FilterOptions
{
    private static readonly string[] Groupings = ["accessor", "endpoint", "feature_set", "models", "method", "tags", "deployment"];

    public FilterOptions(Filters which)
    {
        Which = which;
        if (TakesTimes)
        {
            var days = which.HasFlag(Filters.GroupBy) ? " Summaries and breakdowns take whole UTC days (the day of that time)." : "";
            Start.Description = "From this time: YYYY-MM-DD (midnight UTC), an ISO-8601 date-time with offset (2025-01-31T08:00:00+02:00), or relative to now: -7d, -24h, -2w." + days;
            End.Description = "Up to this time: YYYY-MM-DD (through the end of that UTC day), an ISO-8601 date-time with offset, now, or relative to now: -1d, -6h." + days;
            Since.Description = "The last 7d, 24h or 2w, up to now: the same as --start -7d (not with --start).";
        }
        else
        {
            Start.Description = "First day (UTC): YYYY-MM-DD, today, or relative to now: -7d (the UTC day 7 days ago), -2w.";
            End.Description = "Last day, inclusive (UTC): YYYY-MM-DD, today, or relative to now: -1d.";
            Since.Description = "The last 7d or 2w of UTC days, up to today: the same as --start -7d (not with --start).";
        }
        // Request logs filter on one value of each (the /requests endpoint takes one); the /usage endpoints on several.
        var repeat = !TakesTimes ? "repeatable" : which.HasFlag(Filters.GroupBy) ? "repeatable; request logs take one" : "one value";
        // Several accessors are fine for request logs too: one listing per accessor, merged newest first.
        Accessor.Description = TakesTimes
            ? "The accessor of an API key (repeatable; for request logs, one listing per accessor, merged newest first)."
            : "The accessor of an API key (repeatable).";
        Method.Description = $"Processing method: sync, async or streaming ({repeat}).";
        Deployment.Description = $"Deployment: hosted, beta or self-hosted ({repeat}).";
        Endpoint.Description = $"Endpoint: listen, read, speak or agent ({repeat}).";
    }

    public Filters Which { get; }

    /// <summary>True when the command reads request logs, whose --start/--end take date-times (the /usage endpoints take days).</summary>
    private bool TakesTimes => Which.HasFlag(Filters.Status);

    public Option<string?> Start { get; } = new("--start") { HelpName = "date|-7d" };
    public Option<string?> End { get; } = new("--end") { HelpName = "date|-1d" };
    public Option<string?> Since { get; } = new("--since") { HelpName = "7d|24h|2w" };
    public Option<string[]> Accessor { get; } = new("--accessor") { HelpName = "id", AllowMultipleArgumentsPerToken = false };
    public Option<string[]> Tag { get; } = new("--tag") { Description = "Tag (repeatable: any of them).", HelpName = "tag" };
    public Option<string[]> Method { get; } = new("--method") { HelpName = "method" };
    public Option<string[]> Model { get; } = new("--model") { Description = "Model UUID (repeatable; see 'usage fields').", HelpName = "uuid" };
    public Option<string[]> Feature { get; } = new("--feature") { Description = "Feature filter: name keeps requests that used it, name=false drops them (repeatable), e.g. --feature diarize --feature punctuate=false.", HelpName = "name[=false]" };
    public Option<string[]> Deployment { get; } = new("--deployment") { HelpName = "name" };
    public Option<string[]> Endpoint { get; } = new("--endpoint") { HelpName = "name" };
    public Option<string?> Status { get; } = new("--status") { Description = "Outcome: succeeded (status < 300) or failed (status >= 400).", HelpName = "succeeded|failed" };
    public Option<string?> GroupBy { get; } = new("--group-by", "--grouping") { Description = "Group by accessor, endpoint, feature_set, models, method, tags or deployment (model, tag, feature-set also accepted).", HelpName = "dimension" };
    public Option<int?> PageSize { get; } = new("--page-size") { Description = "Items per API call, 1 to 1000 (default: 1000, or --limit when smaller).", HelpName = "n" };
    public Option<int?> Limit { get; } = new("--limit", "-n") { Description = "Stop after n items (0 = all).", HelpName = "n" };

    public void AddTo(Command command)
    {
        if (Which.HasFlag(Filters.Dates))
        {
            command.Add(Start);
            command.Add(End);
            command.Add(Since);
        }
        AddIf(command, Filters.Accessor, Accessor);
        AddIf(command, Filters.Tag, Tag);
        AddIf(command, Filters.Method, Method);
        AddIf(command, Filters.Model, Model);
        AddIf(command, Filters.Feature, Feature);
        AddIf(command, Filters.Deployment, Deployment);
        AddIf(command, Filters.Endpoint, Endpoint);
        AddIf(command, Filters.Status, Status);
        AddIf(command, Filters.GroupBy, GroupBy);
        AddIf(command, Filters.PageSize, PageSize);
        AddIf(command, Filters.Limit, Limit);
    }

    private void AddIf(Command command, Filters flag, Option option)
    {
        if (Which.HasFlag(flag))
        {
            command.Add(option);
        }
    }

    // ------------------------------------------------------------------ /requests

    /// <summary>The server-side filters of /requests. <paramref name="limit"/> (when given) shrinks the page size so small listings need one small call.</summary>
    public RequestsQuery ToRequestsQuery(CliRun run, int? limit = null)
    {
        var p = run.Parse;
        var q = new RequestsQuery();
        var (start, end) = GetTimes(run);
        if (start is { } s && end is { } e)
        {
            q = q.Between(s, e);
        }
        else if (start is { } s1)
        {
            q = q.From(s1);
        }
        else if (end is { } e1)
        {
            q = q.Until(e1);
        }
        if (Values(p, Accessor) is { Count: > 0 } accessors)
        {
            // Several: one listing per accessor, merged newest first (the endpoint filters on one).
            q = q.WithAccessors(accessors);
        }
        if (One(p, Method, "--method") is { } method)
        {
            q = q.WithMethod(new ProcessingMethod(Known(method, "--method", "sync", "async", "streaming")));
        }
        if (One(p, Deployment, "--deployment") is { } deployment)
        {
            q = q.WithDeployment(new Deployment(Known(deployment, "--deployment", "hosted", "beta", "self-hosted")));
        }
        if (One(p, Endpoint, "--endpoint") is { } endpoint)
        {
            q = q.WithEndpoint(new Endpoint(Known(endpoint, "--endpoint", "listen", "read", "speak", "agent")));
        }
        if (p.GetValue(Status) is { } status)
        {
            q = q.WithStatus(new RequestStatus(Known(status, "--status", "succeeded", "failed")));
        }
        var pageSize = p.GetValue(PageSize);
        if (pageSize is { } size)
        {
            if (size is < 1 or > RequestsQuery.MaxPageSize)
            {
                throw new CliUsageException($"--page-size {size} is out of range: use 1 to 1000.");
            }
            q = q.WithPageSize(size);
        }
        else if (limit is > 0 and < RequestsQuery.MaxPageSize)
        {
            q = q.WithPageSize(limit.Value);
        }
        return q;
    }

    /// <summary>The filters /requests cannot apply (tag, model, feature), as a test on each item; null when none are set.</summary>
    public Func<UsageRequest, bool>? ClientSideRequestFilter(ParseResult p)
    {
        var tags = Values(p, Tag);
        var models = Values(p, Model);
        var (on, off) = ParseFeatures(p);
        if (tags.Count == 0 && models.Count == 0 && on.Count == 0 && off.Count == 0)
        {
            return null;
        }
        return r =>
        {
            var d = r.Response?.Details;
            if (d is null)
            {
                return false;
            }
            return (tags.Count == 0 || d.Tags.Any(t => tags.Contains(t, StringComparer.Ordinal)))
                && (models.Count == 0 || d.Models.Any(m => models.Contains(m, StringComparer.OrdinalIgnoreCase)))
                && (on.Count == 0 || on.Any(f => d.Features.Contains(f.ToString(), StringComparer.OrdinalIgnoreCase)))
                && !off.Any(f => d.Features.Contains(f.ToString(), StringComparer.OrdinalIgnoreCase));
        };
    }

    /// <summary>--limit: null for no limit (absent or 0).</summary>
    public int? GetLimit(ParseResult p)
    {
        var limit = p.GetValue(Limit);
        if (limit is < 0)
        {
            throw new CliUsageException($"--limit {limit} is negative: use a count, or 0 for all.");
        }
        return limit is 0 ? null : limit;
    }

    // ------------------------------------------------------------------ /usage and /usage/breakdown

    /// <summary>The filters of /usage and /usage/breakdown (and --group-by, when the command has it).</summary>
    public UsageQuery ToUsageQuery(CliRun run)
    {
        var p = run.Parse;
        var q = new UsageQuery();
        var (start, end) = GetDates(run);
        if (start is { } s && end is { } e)
        {
            q = q.Between(s, e);
        }
        else if (start is { } s1)
        {
            q = q.From(s1);
        }
        else if (end is { } e1)
        {
            q = q.Until(e1);
        }
        if (Values(p, Accessor) is { Count: > 0 } accessors)
        {
            q = q.WithAccessors(accessors);
        }
        if (Values(p, Tag) is { Count: > 0 } tags)
        {
            q = q.WithTags(tags);
        }
        if (Values(p, Model) is { Count: > 0 } models)
        {
            q = q.WithModels(models);
        }
        if (Values(p, Method) is { Count: > 0 } methods)
        {
            q = q.WithMethods(methods.Select(m => new ProcessingMethod(Known(m, "--method", "sync", "async", "streaming"))));
        }
        if (Values(p, Deployment) is { Count: > 0 } deployments)
        {
            q = q.WithDeployments(deployments.Select(d => new Deployment(Known(d, "--deployment", "hosted", "beta", "self-hosted"))));
        }
        if (Values(p, Endpoint) is { Count: > 0 } endpoints)
        {
            q = q.WithEndpoints(endpoints.Select(d => new Endpoint(Known(d, "--endpoint", "listen", "read", "speak", "agent"))));
        }
        var (on, off) = ParseFeatures(p);
        foreach (var f in on)
        {
            q = q.WithFeature(f);
        }
        foreach (var f in off)
        {
            q = q.WithoutFeature(f);
        }
        if (GetGrouping(p) is { } g)
        {
            q = q.GroupBy(g);
        }
        return q;
    }

    /// <summary>--start (or --since) and --end as UTC days; relative ones count back from <see cref="CliRun.Now"/>.</summary>
    public (DateOnly? Start, DateOnly? End) GetDates(CliRun run)
    {
        if (!Which.HasFlag(Filters.Dates))
        {
            return (null, null);
        }
        var start = ParseDate(StartText(run.Parse), StartName(run.Parse), run.Now);
        var end = ParseDate(run.Parse.GetValue(End), "--end", run.Now);
        if (start is { } s && end is { } e && e < s)
        {
            throw new CliUsageException($"--end {Fmt.Day(e)} is before --start {Fmt.Day(s)}.");
        }
        return (start, end);
    }

    /// <summary>
    /// --start (or --since) and --end as times: a day is its midnight (--start) or its last second (--end), UTC;
    /// relative ones count back from <see cref="CliRun.Now"/>.
    /// </summary>
    public (DateTimeOffset? Start, DateTimeOffset? End) GetTimes(CliRun run)
    {
        if (!Which.HasFlag(Filters.Dates))
        {
            return (null, null);
        }
        return (ParseTime(StartText(run.Parse), StartName(run.Parse), endOfDay: false, run.Now), ParseTime(run.Parse.GetValue(End), "--end", endOfDay: true, run.Now));
    }

    /// <summary>True when the start was given relative to now (--since, or --start -7d): the window then runs to now.</summary>
    public bool StartIsRelative(ParseResult p) => StartText(p) is { } t && RelativePattern().IsMatch(t.Trim());

    /// <summary>The filters given besides the dates, as typed (<c>--status failed, --tag prod</c>), for messages; empty when none.</summary>
    public string DescribeFilters(ParseResult p)
    {
        var parts = new List<string>();
        foreach (var option in new Option[] { Accessor, Tag, Method, Model, Feature, Deployment, Endpoint, Status, GroupBy })
        {
            if (p.GetResult(option) is { } r)
            {
                parts.AddRange(r.Tokens.Select(t => $"{option.Name} {t.Value}"));
            }
        }
        return string.Join(", ", parts);
    }

    /// <summary>The text of --start, or of --since written as a relative start (<c>7d</c> becomes <c>-7d</c>).</summary>
    private string? StartText(ParseResult p)
    {
        var since = p.GetValue(Since);
        if (since is null)
        {
            return p.GetValue(Start);
        }
        if (p.GetValue(Start) is not null)
        {
            throw new CliUsageException("--since and --start are both given; pass one (--since 7d is --start -7d).");
        }
        var t = since.Trim();
        t = t.StartsWith('-') ? t : "-" + t;
        return RelativePattern().IsMatch(t) ? t : throw new CliUsageException($"--since '{since}' is not a duration; use days (7d), hours (24h) or weeks (2w).");
    }

    private string StartName(ParseResult p) => p.GetValue(Since) is null ? "--start" : "--since";

    /// <summary>--group-by, in the API's spelling.</summary>
    public UsageGrouping? GetGrouping(ParseResult p)
    {
        if (!Which.HasFlag(Filters.GroupBy) || p.GetValue(GroupBy) is not { } raw)
        {
            return null;
        }
        var g = raw.Trim().ToLowerInvariant() switch
        {
            "model" => "models",
            "tag" => "tags",
            "feature-set" or "featureset" or "features" or "feature" => "feature_set",
            "key" or "api-key" or "accessors" => "accessor",
            "endpoints" => "endpoint",
            "methods" => "method",
            "deployments" => "deployment",
            var other => other,
        };
        if (!Groupings.Contains(g))
        {
            throw new CliUsageException($"--group-by '{raw}' is not a grouping; use one of {string.Join(", ", Groupings)}.");
        }
        return new UsageGrouping(g);
    }

    // ------------------------------------------------------------------ parsing

    private static List<string> Values(ParseResult p, Option<string[]> option)
        => (p.GetValue(option) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();

    private string? One(ParseResult p, Option<string[]> option, string name)
    {
        var values = Values(p, option);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new CliUsageException($"{name} takes one value for request logs (the /requests endpoint filters on one); got {values.Count}."),
        };
    }

    private static string Known(string value, string name, params string[] known)
    {
        var v = value.Trim().ToLowerInvariant();
        return known.Contains(v) ? v : throw new CliUsageException($"{name} '{value}' is not known; use {string.Join(", ", known)}.");
    }

    private (List<UsageFeature> On, List<UsageFeature> Off) ParseFeatures(ParseResult p)
    {
        var on = new List<UsageFeature>();
        var off = new List<UsageFeature>();
        if (!Which.HasFlag(Filters.Feature))
        {
            return (on, off);
        }
        foreach (var raw in p.GetValue(Feature) ?? [])
        {
            var text = raw.Trim();
            var value = true;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                var v = text[(eq + 1)..].Trim().ToLowerInvariant();
                value = v switch
                {
                    "true" or "1" or "yes" => true,
                    "false" or "0" or "no" => false,
                    _ => throw new CliUsageException($"--feature '{raw}': the value after '=' must be true or false."),
                };
                text = text[..eq].Trim();
            }
            var name = text.ToLowerInvariant().Replace('-', '_');
            if (!FeatureName().IsMatch(name))
            {
                throw new CliUsageException($"--feature '{raw}' is not a feature name (letters, digits and _; for example diarize or smart_format=false).");
            }
            (value ? on : off).Add(new UsageFeature(name));
        }
        return (on, off);
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex FeatureName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateOnlyPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.IgnoreCase)]
    private static partial Regex DateTimePattern();

    /// <summary>A time relative to now: <c>-7d</c>, <c>-24h</c>, <c>-2w</c>.</summary>
    [GeneratedRegex(@"^-(\d{1,5})([hdw])$", RegexOptions.IgnoreCase)]
    private static partial Regex RelativePattern();

    /// <summary><c>-7d</c> as the time that long before <paramref name="now"/>; null when the text is not relative.</summary>
    private static DateTimeOffset? Relative(string t, DateTimeOffset now)
    {
        if (t.Equals("now", StringComparison.OrdinalIgnoreCase) || t.Equals("today", StringComparison.OrdinalIgnoreCase))
        {
            return now;
        }
        var m = RelativePattern().Match(t);
        if (!m.Success)
        {
            return null;
        }
        var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var span = char.ToLowerInvariant(m.Groups[2].Value[0]) switch
        {
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
        return now - span; // at most 99,999 weeks: still a valid date
    }

    /// <summary>A UTC day: YYYY-MM-DD, today, or relative to <paramref name="now"/> (the UTC day of now − 7 days for <c>-7d</c>).</summary>
    internal static DateOnly? ParseDate(string? text, string name, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = text.Trim();
        if (DateOnlyPattern().IsMatch(t) && DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }
        if (Relative(t, now) is { } r)
        {
            return DateOnly.FromDateTime(r.UtcDateTime);
        }
        throw new CliUsageException($"{name} '{text}' is not a date; use YYYY-MM-DD (2025-01-31), today, or a time relative to now (-7d, -2w).");
    }

    /// <summary>
    /// A time: YYYY-MM-DD (midnight UTC, or its last second with <paramref name="endOfDay"/>), an ISO-8601 date-time
    /// (UTC when it has no offset), now, or relative to <paramref name="now"/> (<c>-7d</c>, <c>-24h</c>, <c>-2w</c>).
    /// </summary>
    internal static DateTimeOffset? ParseTime(string? text, string name, bool endOfDay, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = text.Trim();
        if (DateOnlyPattern().IsMatch(t))
        {
            if (!DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                throw new CliUsageException($"{name} '{text}' is not a date; use YYYY-MM-DD, for example 2025-01-31.");
            }
            var start = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddSeconds(-1) : start;
        }
        if (DateTimePattern().IsMatch(t)
            && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt))
        {
            return dt;
        }
        if (Relative(t, now) is { } r)
        {
            return r;
        }
        throw new CliUsageException($"{name} '{text}' is not a date or date-time; use YYYY-MM-DD, ISO-8601 such as 2025-01-31T08:00:00+02:00, now, or a time relative to now (-7d, -24h, -2w).");
    }
}
