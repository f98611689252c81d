using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using UsageSdk;

// Pages every request log of a project with the SDK (page size 1000, the default) and prints "<items> <usd>".
// Usage: UsageSdk.SideBySide <base-url> <project-id> [--phases]
// --phases also prints to stderr, for each phase (main reached, client made, first item, last item), the wall and CPU
// time since the process started and what the JIT compiled in it (for docs/performance.md).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: UsageSdk.SideBySide <base-url> <project-id> [--phases]");
    return 2;
}
var phases = args.Contains("--phases") ? new Phases() : null;
phases?.Mark("main");
var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = new Uri(args[0]) });
phases?.Mark("client made");
long count = 0;
decimal usd = 0;
await foreach (var r in client.GetRequestsAsync(args[1]))
{
    if (count == 0)
    {
        phases?.Mark("first item");
    }
    count++;
    usd += r.Response?.Details?.Usd ?? 0;
}
phases?.Mark("last item");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} {usd:0.00}"));
phases?.Print();
return 0;

internal sealed class Phases
{
    private readonly List<string> _lines = [];
    private readonly Process _self = Process.GetCurrentProcess();
    private TimeSpan _cpu;
    private long _methods;
    private TimeSpan _jit;

    public void Mark(string name)
    {
        _self.Refresh();
        var wall = DateTime.Now - _self.StartTime;
        var cpu = _self.TotalProcessorTime;
        var methods = JitInfo.GetCompiledMethodCount();
        var jit = JitInfo.GetCompilationTime();
        _lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"{name,-12} wall {wall.TotalMilliseconds,7:0} ms  cpu {cpu.TotalMilliseconds,7:0} ms (+{(cpu - _cpu).TotalMilliseconds,6:0})  jit +{methods - _methods,5} methods, +{(jit - _jit).TotalMilliseconds,5:0} ms"));
        (_cpu, _methods, _jit) = (cpu, methods, jit);
    }

    public void Print()
    {
        foreach (var line in _lines)
        {
            Console.Error.WriteLine(line);
        }
    }
}
