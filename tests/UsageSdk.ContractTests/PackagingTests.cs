using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Xml.Linq;
using UsageSdk.ContractTests.Infrastructure;

namespace UsageSdk.ContractTests;

/// <summary>
/// The NuGet packages as a user gets them: what is inside (readme, XML docs, both frameworks, license, repository,
/// symbols with SourceLink), and a fresh console project that references them by package from a folder feed plus
/// nuget.org, builds with warnings as errors and runs against FakeUsageApi.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackagingTests(PackageFeedFixture feed)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Libraries => new(Directory.GetDirectories(Path.Combine(ContractPaths.Root, "src"))
        .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
        .Select(d => Path.GetFileName(d)!));

    [Fact]
    public void Every_library_under_src_was_packed_with_a_symbol_package()
    {
        Assert.Contains("UsageSdk", feed.Libraries);
        foreach (var library in feed.Libraries)
        {
            Assert.True(File.Exists(feed.PackagePath(library)), $"No {Path.GetFileName(feed.PackagePath(library))} in the feed:\n{string.Join('\n', Directory.GetFiles(feed.Feed))}");
            Assert.True(File.Exists(feed.PackagePath(library, "snupkg")), $"No symbol package for {library}.");
        }
        Assert.DoesNotContain("warning", feed.PackLog.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)), StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void The_package_has_readme_docs_both_frameworks_license_and_repository(string library)
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath(library));
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("README.md", entries);
        foreach (var tfm in new[] { "net8.0", "net10.0" })
        {
            Assert.Contains($"lib/{tfm}/{library}.dll", entries);
            Assert.Contains($"lib/{tfm}/{library}.xml", entries);
        }
        Assert.DoesNotContain(entries, e => e.EndsWith(".pdb", StringComparison.Ordinal)); // symbols go in the .snupkg

        var nuspec = ReadNuspec(zip, library);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(feed.Version, metadata.Element(ns + "version")!.Value);
        var license = metadata.Element(ns + "license")!;
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")!.Value, license.Value));
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));
        var repository = metadata.Element(ns + "repository")!;
        Assert.Equal("git", repository.Attribute("type")!.Value);
        Assert.StartsWith("https://github.com/", repository.Attribute("url")!.Value, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")!.Value);

        var xmlDoc = XDocument.Load(zip.GetEntry($"lib/net10.0/{library}.xml")!.Open());
        Assert.Equal(library, xmlDoc.Root!.Element("assembly")!.Element("name")!.Value);
        Assert.Contains(xmlDoc.Descendants("member"), m => m.Attribute("name")!.Value.StartsWith("T:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Library_packages_depend_on_each_other_at_the_same_version(string library)
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath(library));
        var nuspec = ReadNuspec(zip, library);
        var ours = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Where(d => feed.Libraries.Contains(d.Attribute("id")!.Value))
            .ToList();
        Assert.All(ours, d => Assert.Equal(feed.Version, d.Attribute("version")!.Value));
        if (library != "UsageSdk")
        {
            Assert.Contains(ours, d => d.Attribute("id")!.Value == "UsageSdk");
        }
    }

    [Fact]
    public void The_version_comes_from_VersionPrefix_in_Directory_Build_props()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", feed.VersionPrefix);
        foreach (var library in feed.Libraries)
        {
            Assert.StartsWith($"{library}.{feed.VersionPrefix}-", Path.GetFileName(feed.PackagePath(library)), StringComparison.Ordinal);
        }
        // No project sets its own version.
        foreach (var project in Directory.GetFiles(Path.Combine(ContractPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(project);
            Assert.DoesNotContain("<Version>", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<VersionPrefix>", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Symbols_carry_SourceLink_to_the_repository_at_the_built_commit(string library)
    {
        using var symbols = ZipFile.OpenRead(feed.PackagePath(library, "snupkg"));
        using var package = ZipFile.OpenRead(feed.PackagePath(library));
        var commit = ReadNuspec(package, library).Descendants().Single(e => e.Name.LocalName == "repository").Attribute("commit")!.Value;

        foreach (var tfm in new[] { "net8.0", "net10.0" })
        {
            var entry = symbols.GetEntry($"lib/{tfm}/{library}.pdb");
            Assert.True(entry is not null, $"No lib/{tfm}/{library}.pdb in the symbol package.");
            using var stream = new MemoryStream();
            using (var s = entry.Open())
            {
                s.CopyTo(stream);
            }
            stream.Position = 0;
            using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
            var reader = provider.GetMetadataReader();
            var sourceLink = reader.CustomDebugInformation
                .Select(reader.GetCustomDebugInformation)
                .Where(c => reader.GetGuid(c.Kind) == SourceLinkKind)
                .Select(c => System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(c.Value)))
                .SingleOrDefault();
            Assert.True(sourceLink is not null, $"{library} {tfm}: the PDB has no SourceLink.");
            var urls = JsonDocument.Parse(sourceLink).RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()!).ToList();
            Assert.Contains(urls, u => u.StartsWith($"https://raw.githubusercontent.com/usagesdk/usagesdk/{commit}/", StringComparison.Ordinal));
            // Deterministic paths (ContinuousIntegrationBuild): the checkout's folder never appears in the PDB.
            var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
            Assert.Contains(documents, d => d.StartsWith("/_/src/", StringComparison.Ordinal));
            Assert.DoesNotContain(documents, d => d.StartsWith(ContractPaths.Root + "/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_fresh_console_project_uses_the_packages_against_FakeUsageApi()
    {
        Assert.Contains("UsageSdk.Testing", feed.Libraries);
        var app = Path.Combine(feed.WorkDirectory, "consumer");
        Directory.CreateDirectory(app);
        File.Copy(Path.Combine(ContractPaths.Root, "global.json"), Path.Combine(app, "global.json"));
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
        // The app's own package folder (so this run's packages are never shared), with the machine's cache as a
        // read-only fallback for the third-party dependencies.
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>$(MSBuildThisFileDirectory)packages</RestorePackagesPath>
                <RestoreAdditionalProjectFallbackFolders>{globalPackages}</RestoreAdditionalProjectFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="UsageSdk" Version="{feed.Version}" />
                <PackageReference Include="UsageSdk.Testing" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using UsageSdk;
            using UsageSdk.Testing;

            using var fake = new FakeUsageApi(new FakeUsageApiOptions { Seed = 11, Days = 2, RequestsPerDay = 300, TimeProvider = new FixedClock() });
            var client = fake.CreateClient();
            var listed = 0;
            await foreach (var r in client.GetRequestsAsync(FakeUsageApi.DemoProjectId, new RequestsQuery().WithPageSize(50)))
            {
                listed++;
            }
            var expected = fake.GetRequests(FakeUsageApi.DemoProjectId).Count;
            var breakdown = await client.GetBreakdownAsync(FakeUsageApi.DemoProjectId, new UsageQuery().GroupBy(UsageGrouping.Models));
            Console.WriteLine($"consumer: listed {listed} of {expected} requests, {breakdown.Results.Count} breakdown rows");
            return listed == expected && listed > 50 && breakdown.Results.Count > 0 ? 0 : 1;

            sealed class FixedClock : TimeProvider // the fake's data does not depend on when the test runs
            {
                public override DateTimeOffset GetUtcNow() => new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
            }
            """);

        var run = await ProcessRunner.RunAsync(ProcessRunner.Dotnet,
            ["run", "--project", Path.Combine(app, "Consumer.csproj"), "-c", "Release"], app, TimeSpan.FromMinutes(6));

        Assert.True(run.ExitCode == 0, $"The consumer failed ({run.ExitCode}):\n{run.Tail()}");
        Assert.Matches(@"consumer: listed (\d+) of \1 requests", run.Output);
        // It was built on the packages, not on projects.
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")));
        foreach (var id in new[] { "UsageSdk", "UsageSdk.Testing" })
        {
            var library = assets.RootElement.GetProperty("libraries").GetProperty($"{id}/{feed.Version}");
            Assert.Equal("package", library.GetProperty("type").GetString());
        }
        Assert.True(Directory.Exists(Path.Combine(app, "packages", "usagesdk", feed.Version.ToLowerInvariant())));
    }

    private static XDocument ReadNuspec(ZipArchive zip, string library)
    {
        using var stream = zip.GetEntry(library + ".nuspec")!.Open();
        return XDocument.Load(stream);
    }
}
