using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace UsageSdk.Benchmarks;

/// <summary>What the command line chose.</summary>
public static class BenchSettings
{
    /// <summary>Items per listing (and request logs per report/archive run).</summary>
    public static int Items { get; set; } = 50_000;

    /// <summary>"short" or "long".</summary>
    public static string JobName { get; set; } = "short";

    /// <summary>Rows per archive benchmark (<c>--archive-rows 100000,1000000</c>); empty for the job's default.</summary>
    public static IReadOnlyList<int> ArchiveRows { get; set; } = [];
}

public static class Program
{
    /// <summary>
    /// <c>--job short</c> (50,000 items, the default) or <c>--job long</c> (1,000,000 items); <c>--items N</c> overrides.
    /// <c>--memory</c> runs the SDK over 1,000,000 items (serial, then 4 pages in flight) and prints the peak working set.
    /// <c>--archive-rows N[,M]</c> sets the rows of the archive benchmarks (default 100,000 in the long job, 10,000 in the
    /// short one). <c>--archive-run sync|floor|least N [W]</c> runs one archive sync (or the floor, or the least sync) of N rows in this process
    /// (after one of W rows as a warm-up, none by default) and prints its time, CPU time, file size and peak working set
    /// (for <c>/usr/bin/time -v</c>). <c>--archive-run split N</c> and <c>--archive-run schema N</c> show where a sync's
    /// time goes (<see cref="ArchiveCostModes"/>).
    /// <c>--serve FILE</c> only runs the loopback server (for side-by-side/run.sh): it writes its address into FILE and
    /// serves until its standard input closes.
    /// Every other argument goes to BenchmarkDotNet (<c>--filter '*'</c> when none is given).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        var rest = new List<string>();
        var memory = false;
        int? items = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--job" when i + 1 < args.Length:
                    BenchSettings.JobName = args[++i].ToLowerInvariant();
                    break;
                case "--items" when i + 1 < args.Length:
                    items = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--memory":
                    memory = true;
                    break;
                case "--archive-rows" when i + 1 < args.Length:
                    BenchSettings.ArchiveRows = [.. args[++i].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))];
                    break;
                case "--archive-run" when i + 2 < args.Length:
                    var what = args[++i];
                    var rows = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    var warmupRows = i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var w) ? w : 0;
                    return await ArchiveRunMode.RunAsync(what, rows, warmupRows).ConfigureAwait(false);
                case "--serve" when i + 1 < args.Length:
                    return await ServeMode.RunAsync(args[++i]).ConfigureAwait(false);
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        if (BenchSettings.JobName is not ("short" or "long"))
        {
            Console.Error.WriteLine("--job takes short or long.");
            return 2;
        }
        BenchSettings.Items = items ?? (BenchSettings.JobName == "long" ? 1_000_000 : 50_000);

        if (memory)
        {
            return await MemoryMode.RunAsync(items ?? 1_000_000).ConfigureAwait(false);
        }

        if (!rest.Contains("--filter") && !rest.Contains("-f"))
        {
            rest.AddRange(["--filter", "*"]);
        }
        var (warmup, iterations) = BenchSettings.JobName == "long" ? (2, 3) : (2, 8);
        var job = Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true)) // the server runs in the same process; no generated project to build
            .WithStrategy(RunStrategy.Monitoring)           // one listing per iteration, measured end to end
            .WithWarmupCount(warmup)
            .WithIterationCount(iterations)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId(BenchSettings.JobName);
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddColumn(new ItemsPerSecondColumn(), new ThroughputRatioColumn(), new BytesPerItemColumn())
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.JoinSummary);
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}; job {BenchSettings.JobName}, {BenchSettings.Items:N0} items.");
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    internal static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

/// <summary>
/// The server of side-by-side/run.sh, in a process of its own: <see cref="BenchServer"/> (the same pages as the
/// in-process benchmarks), its address written into a file once it listens, until standard input closes.
/// </summary>
public static class ServeMode
{
    public static async Task<int> RunAsync(string addressFile)
    {
        await using var server = await BenchServer.StartAsync().ConfigureAwait(false);
        var temp = addressFile + ".tmp";
        await File.WriteAllTextAsync(temp, server.BaseAddress.ToString()).ConfigureAwait(false);
        File.Move(temp, addressFile, overwrite: true); // whole or not at all: the script polls for it
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"served {server.PagesServed} pages"));
        return 0;
    }
}

/// <summary>Runs the SDK over many items and prints <see cref="Process.PeakWorkingSet64"/> (server included: same process).</summary>
public static class MemoryMode
{
    public static async Task<int> RunAsync(int items)
    {
        await using var server = await BenchServer.StartAsync().ConfigureAwait(false);
        var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = server.BaseAddress });
        var project = BenchServer.Project(items, 0);
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Program.CpuModel()}, {RuntimeInformation.FrameworkDescription}.");
        foreach (var (name, query) in new[] { ("serial", new RequestsQuery()), ("WithPrefetch(4)", new RequestsQuery().WithPrefetch(4)) })
        {
            var sw = Stopwatch.StartNew();
            long count = 0;
            decimal usd = 0;
            await foreach (var r in client.GetRequestsAsync(project, query).ConfigureAwait(false))
            {
                count++;
                usd += r.Response?.Details?.Usd ?? 0;
            }
            sw.Stop();
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SDK {name}: {count:N0} items in {sw.Elapsed.TotalSeconds:0.00} s ({count / sw.Elapsed.TotalSeconds:N0} items/s), usd {usd:0.00}; peak working set so far {self.PeakWorkingSet64 / (1024.0 * 1024):0.0} MB, GC heap {GC.GetGCMemoryInfo().HeapSizeBytes / (1024.0 * 1024):0.0} MB"));
            if (count != items)
            {
                Console.Error.WriteLine($"Read {count} items, expected {items}.");
                return 1;
            }
        }
        return 0;
    }
}

/// <summary>
/// One archive sync (or the floor) in a process of its own: the whole-process figures the benchmark cannot give (peak
/// working set, CPU time, bytes on disk). The server runs in the same process, as in the benchmark.
/// </summary>
public static class ArchiveRunMode
{
    public static async Task<int> RunAsync(string what, int rows, int warmup)
    {
        if (what == "split")
        {
            return await ArchiveCostModes.SplitAsync(rows).ConfigureAwait(false);
        }
        if (what == "schema")
        {
            return await ArchiveCostModes.SchemaAsync(rows).ConfigureAwait(false);
        }
        if (what is not ("sync" or "floor" or "least"))
        {
            Console.Error.WriteLine("--archive-run takes sync, floor, least, split or schema, then the rows.");
            return 2;
        }
        await using var server = await BenchServer.StartAsync().ConfigureAwait(false);
        var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = server.BaseAddress });
        var wire = what is "floor" or "least" ? await ArchiveBenchmarks.LoadWireAsync(client).ConfigureAwait(false) : [];
        if (warmup > 0)
        {
            await RunOnceAsync(what, warmup, server, client, wire, print: false).ConfigureAwait(false);
        }
        return await RunOnceAsync(what, rows, server, client, wire, print: true).ConfigureAwait(false) == rows ? 0 : 1;
    }

    private static async Task<long> RunOnceAsync(string what, int rows, BenchServer server, UsageClient client, (string, DateTime, string)[] wire, bool print)
    {
        var path = Path.Combine(Path.GetTempPath(), $"usage-bench-run-{Guid.NewGuid():N}.db");
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long done;
        if (what == "floor")
        {
            done = ArchiveBenchmarks.RunFloor(path, wire, ArchiveBenchmarks.WireSpan(server), rows);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        else if (what == "least")
        {
            done = await ArchiveCostModes.RunLeastAsync(path, client, wire, rows).ConfigureAwait(false);
        }
        else
        {
            await using (var archive = UsageSdk.Archive.UsageArchive.Open(path, client, new UsageSdk.Archive.UsageArchiveOptions { SyncUsage = false }))
            {
                done = (await archive.SyncAsync(BenchServer.Project(rows, 0, timeline: true)).ConfigureAwait(false)).Items;
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        sw.Stop();
        self.Refresh();
        var cpuUsed = self.TotalProcessorTime - cpu;
        var bytes = ArchiveCostModes.FileBytes(path);
        if (print)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {done:N0} rows in {sw.Elapsed.TotalSeconds:0.00} s ({done / sw.Elapsed.TotalSeconds:N0} rows/s), CPU {cpuUsed.TotalSeconds:0.00} s ({done / cpuUsed.TotalSeconds:N0} rows per CPU-s), {bytes / (1024.0 * 1024):0.0} MB on disk ({bytes / (double)done:0} B/row), peak working set {self.PeakWorkingSet64 / (1024.0 * 1024):0.0} MB"));
        }
        if (print && Environment.GetEnvironmentVariable("USAGE_BENCH_KEEP") is { Length: > 0 } keep)
        {
            File.Move(path, keep, overwrite: true); // to look at the file (sqlite3_analyzer, row counts)
        }
        ArchiveCostModes.Delete(path);
        return done;
    }
}

/// <summary>Items per second: the <c>Items</c> parameter over the mean time.</summary>
internal sealed class ItemsPerSecondColumn : IColumn
{
    public string Id => "ItemsPerSecond";
    public string ColumnName => "Items/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Items read per second (Items / Mean)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        => Columns.ItemsPerSecond(summary, benchmarkCase) is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";
}

/// <summary>Throughput relative to the category's baseline (baseline mean / mean; higher is faster).</summary>
internal sealed class ThroughputRatioColumn : IColumn
{
    public string Id => "ThroughputRatio";
    public string ColumnName => "Items/s ratio";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Items/s relative to the baseline of the same category (higher is better)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var mine = Columns.ItemsPerSecond(summary, benchmarkCase);
        var theirs = baseline is null ? null : Columns.ItemsPerSecond(summary, baseline);
        return mine is { } m && theirs is { } t && t > 0 ? (m / t).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
    }
}

/// <summary>Allocated bytes per item.</summary>
internal sealed class BytesPerItemColumn : IColumn
{
    public string Id => "BytesPerItem";
    public string ColumnName => "B/item";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 2;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Bytes allocated per item (Allocated / Items; whole process, server included)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var bytes = report?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        var items = Columns.Items(benchmarkCase);
        return bytes is { } b && items > 0 ? (b / (double)items).ToString("N0", CultureInfo.InvariantCulture) : "-";
    }
}

internal static class Columns
{
    public static int Items(BenchmarkCase benchmarkCase)
        => benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Items")?.Value is int n ? n : 0;

    public static double? ItemsPerSecond(Summary summary, BenchmarkCase benchmarkCase)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var items = Items(benchmarkCase);
        return mean is { } ns && ns > 0 && items > 0 ? items / (ns / 1e9) : null;
    }
}
