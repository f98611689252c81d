using System.Globalization;
using UsageSdk;

// Pages every request log of a project with the SDK (page size 1000, the default) and prints "<items> <usd>".
// Usage: UsageSdk.SideBySide <base-url> <project-id> [--jit-stats]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: UsageSdk.SideBySide <base-url> <project-id> [--jit-stats]");
    return 2;
}
var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = new Uri(args[0]) });
long count = 0;
decimal usd = 0;
await foreach (var r in client.GetRequestsAsync(args[1]))
{
    count++;
    usd += r.Response?.Details?.Usd ?? 0;
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} {usd:0.00}"));
if (args.Contains("--jit-stats"))
{
    // What the JIT did in this process (for docs/performance.md): methods compiled and the time spent compiling them.
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"jit: {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms, {System.Runtime.JitInfo.GetCompiledILBytes()} IL bytes"));
}
return 0;
