using System.Runtime.InteropServices;
using UsageSdk.ContractTests.Infrastructure;

namespace UsageSdk.ContractTests;

/// <summary>
/// Publishes the <c>usage</c> tool with Native AOT and <c>-warnaserror</c> (no trim, AOT, NuGet or build warning may
/// pass) and runs the native binary next to the JIT build of the same sources: each command prints the same bytes and
/// exits the same way. <c>USAGE_DEMO_NOW</c> pins the demo's clock, so both runs see the same data. This is the test
/// suite's one Native AOT publish (minutes on two cores); the libraries are checked whole, trimmed, by
/// <see cref="AotSmokeTests"/>. Skipped, with the reason, where Native AOT cannot link (no clang or gcc on PATH).
/// </summary>
[Collection(AotCollection.Name)]
public sealed class CliNativeAotTests
{
    [SkippableFact]
    public async Task The_CLI_publishes_with_Native_AOT_without_warnings_and_prints_what_the_JIT_build_prints()
    {
        Skip.IfNot(NativeLinker(out var reason), reason);
        var work = Directory.CreateTempSubdirectory("usagesdk-aot-cli-").FullName;
        try
        {
            var project = Path.Combine(ContractPaths.Root, "src", "UsageSdk.Cli", "UsageSdk.Cli.csproj");
            var artifacts = $"-p:ArtifactsPath={Path.Combine(work, "artifacts")}";
            var aot = Path.Combine(work, "aot");
            var jit = Path.Combine(work, "jit");

            var publish = await ProcessRunner.RunAsync(ProcessRunner.Dotnet,
            [
                "publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-p:PublishAot=true",
                "-warnaserror", "-o", aot, artifacts,
            ], ContractPaths.Root, TimeSpan.FromMinutes(30));
            Assert.True(publish.ExitCode == 0, $"dotnet publish (Native AOT) failed:\n{publish.Tail(80)}");
            var warnings = publish.Output.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).ToList();
            Assert.True(warnings.Count == 0, "Warnings:\n" + string.Join('\n', warnings));
            var native = Path.Combine(aot, OperatingSystem.IsWindows() ? "usage.exe" : "usage");
            Assert.True(File.Exists(native), $"{native} is missing");
            Assert.False(File.Exists(Path.Combine(aot, "usage.dll")), "The AOT output holds IL (usage.dll): it was not compiled natively.");

            // The portable build (framework-dependent, JIT), as `dotnet tool install` falls back to.
            var portable = await ProcessRunner.RunAsync(ProcessRunner.Dotnet,
                ["publish", project, "-c", "Release", "-p:UsageToolAot=false", "-o", jit, artifacts], ContractPaths.Root, TimeSpan.FromMinutes(10));
            Assert.True(portable.ExitCode == 0, $"dotnet publish (portable) failed:\n{portable.Tail(80)}");

            var env = new Dictionary<string, string?> { ["USAGE_DEMO_NOW"] = "2025-03-14T15:00:00Z", ["DEEPGRAM_API_KEY"] = null, ["NO_COLOR"] = "1" };
            var db = Path.Combine(work, "usage.db");
            string[][] commands =
            [
                ["--help"],
                ["report", "--demo"],
                ["report", "--demo", "--format", "csv"],
                ["requests", "list", "--demo", "--format", "csv", "--limit", "300"],
                ["requests", "list", "--demo", "--limit", "20"],
                ["summary", "--demo", "--format", "json"],
                ["export", "--demo", "--format", "jsonl", "--status", "failed"],
                ["export", "breakdown", "--demo", "--group-by", "models", "--format", "csv"],
                ["fields", "--demo"],
                ["requests", "list", "--demo", "--since", "never"],
            ];
            foreach (var args in commands)
            {
                var fromAot = await ProcessRunner.RunAsync(native, args, work, TimeSpan.FromMinutes(2), env);
                var fromJit = await ProcessRunner.RunAsync(ProcessRunner.Dotnet, [Path.Combine(jit, "usage.dll"), .. args], work, TimeSpan.FromMinutes(2), env);
                var command = "usage " + string.Join(' ', args);
                Assert.True(fromJit.Output.Length > 0, $"{command}: the JIT build printed nothing");
                Assert.True(fromAot.ExitCode == fromJit.ExitCode, $"{command}: exit {fromAot.ExitCode} (AOT) and {fromJit.ExitCode} (JIT)\n{fromAot.Tail()}");
                Assert.True(fromAot.Output == fromJit.Output, $"{command}: the outputs differ.\nAOT:\n{fromAot.Tail(20)}\nJIT:\n{fromJit.Tail(20)}");
            }

            // SQLite's native library, loaded by the native binary: sync an archive, then read it back with both builds.
            var sync = await ProcessRunner.RunAsync(native, ["archive", "sync", "--demo", "--db", db], work, TimeSpan.FromMinutes(2), env);
            Assert.True(sync.ExitCode == 0, $"usage archive sync (AOT) failed:\n{sync.Tail()}");
            foreach (var args in new[] { new[] { "archive", "report", "--db", db }, ["archive", "query", "--db", db, "--format", "csv"] })
            {
                var fromAot = await ProcessRunner.RunAsync(native, args, work, TimeSpan.FromMinutes(2), env);
                var fromJit = await ProcessRunner.RunAsync(ProcessRunner.Dotnet, [Path.Combine(jit, "usage.dll"), .. args], work, TimeSpan.FromMinutes(2), env);
                var command = "usage " + string.Join(' ', args);
                Assert.True(fromAot.ExitCode == 0 && fromJit.ExitCode == 0, $"{command}: exit {fromAot.ExitCode} (AOT), {fromJit.ExitCode} (JIT)\n{fromAot.Tail()}\n{fromJit.Tail()}");
                Assert.True(fromAot.Output == fromJit.Output, $"{command}: the outputs differ.\nAOT:\n{fromAot.Tail(20)}\nJIT:\n{fromJit.Tail(20)}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Native AOT links with the platform's linker: clang or gcc on Linux, clang on macOS, MSVC's link.exe on Windows.</summary>
    private static bool NativeLinker(out string reason)
    {
        if (OperatingSystem.IsWindows())
        {
            reason = "Native AOT on Windows needs the MSVC build tools, which this test does not look for.";
            return false;
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] linkers = OperatingSystem.IsMacOS() ? ["clang"] : ["clang", "gcc"];
        if (linkers.Any(l => path.Any(d => File.Exists(Path.Combine(d, l)))))
        {
            reason = "";
            return true;
        }
        reason = $"Native AOT needs {string.Join(" or ", linkers)} on PATH (Debian: apt-get install clang); .ci/run installs it.";
        return false;
    }
}
