using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Xml.Linq;
using UsageSdk.ContractTests.Infrastructure;

namespace UsageSdk.ContractTests;

/// <summary>
/// The NuGet packages as a user gets them: what is inside (readme, XML docs, both frameworks, license, repository,
/// symbols with SourceLink), and fresh console projects that reference them by package from a folder feed plus
/// nuget.org and build with warnings as errors: a net8.0 app on Microsoft.Extensions 8.0.1, a net10.0 app on 10.0.0
/// (both keep their versions), and a client-only net10.0 app with no database, CSV or console UI library.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackagingTests(PackageFeedFixture feed)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Libraries => new(PackageFeedFixture.FindLibraries());

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
            Assert.NotEmpty(ours); // the client itself, or a library that depends on it (UsageSdk.Archive.PostgreSql → UsageSdk.Archive)
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Each_framework_depends_on_the_lowest_Microsoft_Extensions_and_System_Text_Json_it_needs(string library)
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath(library));
        var nuspec = ReadNuspec(zip, library);
        var groups = nuspec.Descendants().Where(e => e.Name.LocalName == "group" && e.Parent!.Name.LocalName == "dependencies")
            .ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements().Where(e => e.Name.LocalName == "dependency")
                .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value));
        Assert.Equal(["net10.0", "net8.0"], groups.Keys.Order(StringComparer.Ordinal));
        // A library on the ASP.NET Core shared framework (UsageSdk.Dashboard) gets Microsoft.Extensions.* from it: the
        // package then lists none of them (the app's framework decides their versions).
        var aspNetCore = nuspec.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => e.Attribute("name")!.Value).ToList();
        // An app on 8.0.x (net8.0) or 10.0.0 (net10.0) must not be asked for more: NU1605 makes that a restore error.
        foreach (var (framework, allowed) in new[] { ("net8.0", "^8\\.0\\.[0-9]+$"), ("net10.0", "^10\\.0\\.0$") })
        {
            var platform = groups[framework].Where(d => d.Key.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || d.Key == "System.Text.Json").ToList();
            if (aspNetCore.Contains("Microsoft.AspNetCore.App"))
            {
                Assert.Empty(platform);
            }
            else
            {
                Assert.Contains(platform, d => d.Key == "Microsoft.Extensions.Logging.Abstractions");
            }
            Assert.All(platform, d => Assert.True(System.Text.RegularExpressions.Regex.IsMatch(d.Value, allowed), $"{library} {framework}: {d.Key} >= {d.Value}"));
            // Refit.HttpClientFactory asks for Microsoft.Extensions.Http 10.0.13 on every framework.
            Assert.DoesNotContain("Refit.HttpClientFactory", groups[framework].Keys);
        }
        if (library == "UsageSdk")
        {
            Assert.Equal("8.0.0", groups["net8.0"]["Microsoft.Extensions.Http"]);
            Assert.Equal("10.0.0", groups["net10.0"]["Microsoft.Extensions.Http"]);
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
    public async Task A_client_only_net10_app_uses_the_packages_against_FakeUsageApi_without_database_csv_or_console_libraries()
    {
        Assert.Contains("UsageSdk.Testing", feed.Libraries);
        var app = CreateConsumer("client-only", "net10.0", [("UsageSdk", feed.Version), ("UsageSdk.Testing", feed.Version)], """
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
            """ + FixedClockSource);

        var run = await RunAsync(app, "run");

        Assert.Matches(@"consumer: listed (\d+) of \1 requests", run.Output);
        var libraries = AssetLibraries(app);
        AssertFromPackages(libraries, app, "UsageSdk", "UsageSdk.Testing");
        // The client package brings no database driver, CSV library or console UI library (those are UsageSdk.Archive's
        // and the CLI's).
        string[] unwanted = ["Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "CsvHelper", "Spectre.Console", "UsageSdk.Archive"];
        var found = libraries.Keys.Where(id => unwanted.Any(u => id.StartsWith(u, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(found.Count == 0, "The client-only app's assets hold: " + string.Join(", ", found));
    }

    [Fact]
    public async Task A_net10_app_on_Microsoft_Extensions_10_0_0_restores_runs_and_keeps_its_versions()
    {
        var app = CreateConsumer("net10-on-10.0.0", "net10.0",
            [("UsageSdk", feed.Version), ("UsageSdk.Testing", feed.Version), ("UsageSdk.Archive", feed.Version), .. AppExtensions("10.0.0")],
            """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using UsageSdk;
            using UsageSdk.Archive;
            using UsageSdk.Testing;

            var clock = new FixedClock();
            using var fake = new FakeUsageApi(new FakeUsageApiOptions { Seed = 11, Days = 2, RequestsPerDay = 300, TimeProvider = clock });
            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddUsageClient(o =>
            {
                o.ApiKey = FakeUsageApi.DefaultApiKey;
                o.BaseAddress = FakeUsageApi.BaseAddress;
                o.Transport = fake;
                o.TimeProvider = clock;
            });
            using var host = builder.Build();
            var client = host.Services.GetRequiredService<UsageClient>();
            var db = Path.Combine(Path.GetTempPath(), $"usagesdk-consumer-{Guid.NewGuid():N}.db");
            try
            {
                await using var archive = new UsageArchive(UsageArchive.OpenStore(db), client, new UsageArchiveOptions { TimeProvider = clock }, ownsStore: true);
                var result = await archive.SyncAsync(FakeUsageApi.DemoProjectId);
                var archived = 0;
                await foreach (var r in archive.QueryAsync(FakeUsageApi.DemoProjectId))
                {
                    archived++;
                }
                var expected = fake.GetRequests(FakeUsageApi.DemoProjectId).Count;
                Console.WriteLine($"consumer: archived {archived} of {expected} requests ({result.Added} added)");
                return archived == expected && archived > 50 ? 0 : 1;
            }
            finally
            {
                foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(db) + "*"))
                {
                    File.Delete(f);
                }
            }
            """ + FixedClockSource);

        var run = await RunAsync(app, "run");

        Assert.Matches(@"consumer: archived (\d+) of \1 requests", run.Output);
        var libraries = AssetLibraries(app);
        AssertFromPackages(libraries, app, "UsageSdk", "UsageSdk.Testing", "UsageSdk.Archive");
        AssertResolved(libraries, "10.0.0", AppExtensionIds);
    }

    [Fact]
    public async Task A_net8_app_on_Microsoft_Extensions_8_0_1_restores_and_builds_and_keeps_its_versions()
    {
        // net8.0 builds here but cannot run (the machine has the .NET 10 runtime only); restore is where NU1605 fails.
        var app = CreateConsumer("net8-on-8.0.1", "net8.0",
            [("UsageSdk", feed.Version), ("UsageSdk.Testing", feed.Version), ("UsageSdk.Archive", feed.Version), .. AppExtensions("8.0.1")],
            """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using UsageSdk;
            using UsageSdk.Archive;
            using UsageSdk.Testing;

            using var fake = new FakeUsageApi();
            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddUsageClient(o =>
            {
                o.ApiKey = FakeUsageApi.DefaultApiKey;
                o.BaseAddress = FakeUsageApi.BaseAddress;
                o.Transport = fake;
            });
            using var host = builder.Build();
            var client = host.Services.GetRequiredService<UsageClient>();
            await using var archive = UsageArchive.Open("usage.db", client);
            await archive.SyncAsync(FakeUsageApi.DemoProjectId);
            """);

        await RunAsync(app, "build");

        var libraries = AssetLibraries(app);
        AssertFromPackages(libraries, app, "UsageSdk", "UsageSdk.Testing", "UsageSdk.Archive");
        AssertResolved(libraries, "8.0.1", AppExtensionIds);
        Assert.True(File.Exists(Path.Combine(app, "bin", "Release", "net8.0", "Consumer.dll")), "The net8.0 consumer was not built.");
    }

    [Fact]
    public async Task Each_package_has_its_own_readme_with_absolute_links_and_the_icon()
    {
        var readmes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var library in feed.Libraries)
        {
            using var zip = ZipFile.OpenRead(feed.PackagePath(library));
            using (var reader = new StreamReader(zip.GetEntry("README.md")!.Open()))
            {
                readmes[library] = await reader.ReadToEndAsync();
            }
            var readme = readmes[library];
            // The package's own readme (src/<Package>/README.md), not the repository's.
            Assert.StartsWith($"# {library}\n", readme.Replace("\r\n", "\n"), StringComparison.Ordinal);
            Assert.Equal(File.ReadAllText(Path.Combine(ContractPaths.Root, "src", library, "README.md")), readme);
            // NuGet shows a readme outside the repository: every link is absolute.
            var links = System.Text.RegularExpressions.Regex.Matches(readme, @"\]\(([^)]*)\)").Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(links);
            Assert.All(links, l => Assert.StartsWith("https://", l, StringComparison.Ordinal));

            var metadata = ReadNuspec(zip, library).Root!;
            XNamespace ns = metadata.Name.Namespace;
            Assert.Equal("icon.png", metadata.Element(ns + "metadata")!.Element(ns + "icon")!.Value);
            using var icon = new MemoryStream();
            using (var s = zip.GetEntry("icon.png")!.Open())
            {
                await s.CopyToAsync(icon);
            }
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, icon.ToArray()[..4]);
        }
        Assert.Equal(readmes.Count, readmes.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task The_csharp_blocks_of_the_readmes_and_docs_compile_against_the_packages()
    {
        var samples = DocSamples.Find(ContractPaths.Root);
        Assert.Contains(samples, s => s.File == "README.md");
        Assert.Contains(samples, s => s.File.StartsWith("docs", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.File.StartsWith("src", StringComparison.Ordinal));
        // The blocks also use hosting, a fake clock, OpenTelemetry and Microsoft's resilience handler (docs/*.md).
        var app = CreateConsumer("doc-samples", "net10.0",
            [.. feed.Libraries.Select(l => (l, feed.Version)),
             ("Microsoft.Extensions.Hosting", "10.0.0"), ("Microsoft.Extensions.TimeProvider.Testing", "10.0.0"),
             ("OpenTelemetry.Extensions.Hosting", "1.15.3"), ("Microsoft.Extensions.Http.Resilience", "10.0.0")],
            DocSamples.Context,
            noWarn: ";CS0649;CS9113"); // fields the blocks never assign; a sample class's unread constructor parameter
        for (var i = 0; i < samples.Count; i++)
        {
            File.WriteAllText(Path.Combine(app, $"DocSample{i + 1}.cs"), DocSamples.ToSource(i + 1, samples[i]));
        }

        await RunAsync(app, "build");
    }

    /// <summary>
    /// The Microsoft.Extensions packages an app on one release references directly: the ones released at both 8.0.1 and
    /// 10.0.0 that Microsoft.Extensions.Hosting of that release does not itself ask for at a higher patch.
    /// </summary>
    private static readonly string[] AppExtensionIds =
        ["Microsoft.Extensions.Hosting", "Microsoft.Extensions.Http", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Logging"];

    private static IEnumerable<(string Id, string Version)> AppExtensions(string version) => AppExtensionIds.Select(id => (id, version));

    private const string FixedClockSource = """


        sealed class FixedClock : TimeProvider // the fake's data does not depend on when the test runs
        {
            public override DateTimeOffset GetUtcNow() => new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        }
        """;

    /// <summary>
    /// A fresh console project outside the checkout (no Directory.Build.props or central versions apply) with warnings as
    /// errors, whose nuget.config maps UsageSdk* to the folder feed and everything else to nuget.org.
    /// </summary>
    private string CreateConsumer(string name, string framework, IEnumerable<(string Id, string Version)> packages, string program, string noWarn = "")
    {
        var app = Path.Combine(feed.WorkDirectory, name);
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
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="UsageSdk*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        var references = string.Join("\n", packages.Select(r => $"""    <PackageReference Include="{r.Id}" Version="{r.Version}" />"""));
        // The app's own package folder (so this run's packages are never shared), with the machine's cache as a
        // read-only fallback for the third-party dependencies.
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{framework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NoWarn>$(NoWarn){noWarn}</NoWarn>
                <RestorePackagesPath>$(MSBuildThisFileDirectory)packages</RestorePackagesPath>
                <RestoreAdditionalProjectFallbackFolders>{globalPackages}</RestoreAdditionalProjectFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        return app;
    }

    private static async Task<ProcessRunner.Result> RunAsync(string app, string verb)
    {
        string[] args = verb == "run"
            ? ["run", "--project", Path.Combine(app, "Consumer.csproj"), "-c", "Release"]
            : [verb, Path.Combine(app, "Consumer.csproj"), "-c", "Release"];
        var result = await ProcessRunner.RunAsync(ProcessRunner.Dotnet, args, app, TimeSpan.FromMinutes(6));
        Assert.True(result.ExitCode == 0, $"dotnet {verb} of the consumer {Path.GetFileName(app)} failed ({result.ExitCode}):\n{result.Tail()}");
        return result;
    }

    /// <summary>The restored packages of the app (its only framework): id to version.</summary>
    private static Dictionary<string, string> AssetLibraries(string app)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")));
        var target = assets.RootElement.GetProperty("targets").EnumerateObject().Single();
        return target.Value.EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Split('/'))
            .ToDictionary(l => l[0], l => l[1], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Built on the packages of this run's feed, not on projects.</summary>
    private void AssertFromPackages(Dictionary<string, string> libraries, string app, params string[] ids)
    {
        foreach (var id in ids)
        {
            Assert.True(libraries.TryGetValue(id, out var version) && version == feed.Version, $"{id} {feed.Version} is not a package of {Path.GetFileName(app)}.");
        }
        Assert.True(Directory.Exists(Path.Combine(app, "packages", "usagesdk", feed.Version.ToLowerInvariant())));
    }

    /// <summary>The app's own versions won: the libraries' dependencies did not raise them.</summary>
    private static void AssertResolved(Dictionary<string, string> libraries, string version, IEnumerable<string> ids)
    {
        var raised = ids.Where(id => !libraries.TryGetValue(id, out var v) || v != version).Select(id => $"{id} {libraries.GetValueOrDefault(id)}").ToList();
        Assert.True(raised.Count == 0, $"Resolved above the app's {version}: {string.Join(", ", raised)}");
    }

    private static XDocument ReadNuspec(ZipArchive zip, string library)
    {
        using var stream = zip.GetEntry(library + ".nuspec")!.Open();
        return XDocument.Load(stream);
    }
}
