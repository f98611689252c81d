using System.Diagnostics;
using System.Globalization;
using UsageSdk.Tests.Infrastructure.Chaos;

// usage:
//   chaos [--pages 10000] [--page-size 5] [--seed 10] [--max-retries 3] [--prefetch 1]
//   sync --db <file.db> [--seed 7] [--days 20] [--per-day 200] [--page-size 5] [--stall-in-commit n]
// Exit code 0 when the run ended with exactly the fault-free items, 1 otherwise, 2 on bad arguments.
try
{
    var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "chaos";
    var options = Options.Parse(args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
    return mode switch
    {
        "chaos" => await RunChaosAsync(options),
        "sync" => await UsageSdk.ChaosRunner.ArchiveSyncMode.RunAsync(
            options.String("db") ?? throw new ArgumentException("sync needs --db <file>."),
            options.Int("seed", 7), options.Int("days", 20), options.Int("per-day", 200), options.Int("page-size", 5),
            options.String("stall-in-commit") is null ? null : options.Int("stall-in-commit", 0)),
        _ => throw new ArgumentException($"Unknown mode '{mode}'; use chaos or sync."),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static async Task<int> RunChaosAsync(Options o)
{
    var settings = new ChaosSettings
    {
        Pages = o.Int("pages", 10_000),
        PageSize = o.Int("page-size", 5),
        Seed = o.Int("seed", 10),
        MaxRetries = o.Int("max-retries", 3),
        Prefetch = o.Int("prefetch", 1),
    };
    var watch = Stopwatch.StartNew();
    var report = await ChaosRun.RunAsync(settings);
    Console.Write(report.ToString());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  took {watch.Elapsed.TotalSeconds:0.0} s"));
    Console.WriteLine(report.Exact ? "EXACT: no item lost, none duplicated." : "NOT EXACT");
    return report.Exact ? 0 : 1;
}

internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            }
            d[args[i][2..]] = args[++i];
        }
        return new Options(d);
    }

    public string? String(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int fallback)
        => values.TryGetValue(name, out var v)
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} takes a number, got '{v}'.")
            : fallback;
}
