using System.Xml.Linq;

namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>
/// Packs every library under src/ once (Release, as CI would: ContinuousIntegrationBuild) into a temporary folder feed.
/// The version is the repository's <c>VersionPrefix</c> with a unique pre-release suffix, so NuGet's caches can never
/// hand back a package from an earlier run.
/// </summary>
public sealed class PackageFeedFixture : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("usagesdk-pack-").FullName;

    public string Feed => Path.Combine(WorkDirectory, "feed");

    /// <summary>The library projects found under src/ (one folder per package; the CLI is a tool, not a library).</summary>
    public IReadOnlyList<string> Libraries { get; } = FindLibraries();

    /// <summary>The library projects under src/: a folder with a project of its name that is not packed as a tool.</summary>
    public static IReadOnlyList<string> FindLibraries() => Directory.GetDirectories(Path.Combine(ContractPaths.Root, "src"))
        .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
        .Where(d => !File.ReadAllText(Path.Combine(d, Path.GetFileName(d) + ".csproj")).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal))
        .Select(d => Path.GetFileName(d)!)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The VersionPrefix of Directory.Build.props: the one place the version is set.</summary>
    public string VersionPrefix { get; } = XDocument.Load(Path.Combine(ContractPaths.Root, "Directory.Build.props"))
        .Descendants("VersionPrefix").Single().Value.Trim();

    public string VersionSuffix { get; } = "pkgtest." + Guid.NewGuid().ToString("N")[..8];

    public string Version => $"{VersionPrefix}-{VersionSuffix}";

    public string PackLog { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        var log = new System.Text.StringBuilder();
        foreach (var library in Libraries)
        {
            var result = await ProcessRunner.RunAsync(ProcessRunner.Dotnet,
            [
                "pack", Path.Combine(ContractPaths.Root, "src", library, library + ".csproj"),
                "-c", "Release", "-o", Feed, "--version-suffix", VersionSuffix,
                "-p:ContinuousIntegrationBuild=true",
                $"-p:ArtifactsPath={Path.Combine(WorkDirectory, "artifacts")}",
            ], ContractPaths.Root, PackTimeout);
            log.AppendLine($"== dotnet pack {library}: exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0} s").AppendLine(result.Output);
            if (result.ExitCode != 0)
            {
                PackLog = log.ToString();
                throw new InvalidOperationException($"dotnet pack {library} failed:\n{result.Tail()}");
            }
        }
        PackLog = log.ToString();
    }

    public string PackagePath(string library, string extension = "nupkg") => Path.Combine(Feed, $"{library}.{Version}.{extension}");

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the folder is in the temp directory.
        }
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackageFeedFixture>
{
    public const string Name = "Packaging";
}
