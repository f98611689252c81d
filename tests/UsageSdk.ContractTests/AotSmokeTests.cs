using System.Runtime.InteropServices;
using UsageSdk.ContractTests.Infrastructure;

namespace UsageSdk.ContractTests;

/// <summary>
/// Publishes tests/UsageSdk.AotSmoke trimmed (the libraries rooted whole, warnings as errors) and runs it: it pages
/// through request logs over loopback HTTP, reads every call, and uses FakeUsageApi and AddUsageClient. The trimmer
/// reports the same IL2xxx warnings as Native AOT at a fraction of the time; the full Native AOT publish
/// (<c>dotnet publish tests/UsageSdk.AotSmoke -c Release -r linux-x64</c>) takes minutes on two cores and is run by
/// hand (docs/development.md, "Native AOT smoke").
/// </summary>
[Collection(AotCollection.Name)]
public sealed class AotSmokeTests
{
    [Fact]
    public async Task The_smoke_program_publishes_trimmed_without_warnings_and_runs()
    {
        var work = Directory.CreateTempSubdirectory("usagesdk-trim-").FullName;
        try
        {
            var project = Path.Combine(ContractPaths.Root, "tests", "UsageSdk.AotSmoke", "UsageSdk.AotSmoke.csproj");
            var output = Path.Combine(work, "publish");
            var publish = await ProcessRunner.RunAsync(ProcessRunner.Dotnet,
            [
                "publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "-o", output,
                "-p:PublishAot=false", "-p:PublishTrimmed=true",
                $"-p:ArtifactsPath={Path.Combine(work, "artifacts")}",
            ], ContractPaths.Root, TimeSpan.FromMinutes(10));

            Assert.True(publish.ExitCode == 0, $"dotnet publish (trimmed) failed:\n{publish.Tail(80)}");
            var warnings = publish.Output.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).ToList();
            Assert.True(warnings.Count == 0, "Trim warnings:\n" + string.Join('\n', warnings));

            // It was trimmed: the published CoreLib is smaller than the runtime's own.
            var trimmedCoreLib = new FileInfo(Path.Combine(output, "System.Private.CoreLib.dll"));
            Assert.True(trimmedCoreLib.Exists && trimmedCoreLib.Length < new FileInfo(typeof(object).Assembly.Location).Length,
                "The output is not trimmed.");

            var run = await ProcessRunner.RunAsync(Path.Combine(output, "UsageSdk.AotSmoke"), [], output, TimeSpan.FromMinutes(1));
            Assert.True(run.ExitCode == 0, $"The trimmed smoke program failed ({run.ExitCode}):\n{run.Tail()}");
            Assert.Contains("AOT smoke OK", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AotCollection
{
    public const string Name = "Trimming";
}
