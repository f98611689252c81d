namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>Prism serving the vendor's OpenAPI file exactly as published (request validation).</summary>
public sealed class VendorSpecFixture : IAsyncLifetime
{
    private PrismServer? _server;

    public PrismServer Server => _server ?? throw new InvalidOperationException("Prism is not started.");

    public async Task InitializeAsync() => _server = await PrismServer.StartAsync(ContractPaths.VendorSpec);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// Prism serving a test copy of the vendor's file with realistic named response examples, written by
/// prism/add-examples.mjs (the vendor file is only read).
/// </summary>
public sealed class ExamplesSpecFixture : IAsyncLifetime
{
    private PrismServer? _server;
    private string? _directory;

    public PrismServer Server => _server ?? throw new InvalidOperationException("Prism is not started.");

    public async Task InitializeAsync()
    {
        _ = PrismServer.Executable; // the install check, with its message
        _directory = Directory.CreateTempSubdirectory("usagesdk-spec-").FullName;
        var copy = Path.Combine(_directory, "deepgram-openapi.examples.json");
        var script = Path.Combine(ContractPaths.PrismDirectory, "add-examples.mjs");
        var result = await ProcessRunner.RunAsync("node", [script, ContractPaths.VendorSpec, copy], ContractPaths.PrismDirectory, TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0 || !File.Exists(copy))
        {
            throw new InvalidOperationException($"add-examples.mjs failed ({result.ExitCode}):\n{result.Tail()}");
        }
        _server = await PrismServer.StartAsync(copy);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class VendorSpecCollection : ICollectionFixture<VendorSpecFixture>
{
    public const string Name = "Prism: vendor spec";
}

[CollectionDefinition(Name)]
public sealed class ExamplesSpecCollection : ICollectionFixture<ExamplesSpecFixture>
{
    public const string Name = "Prism: spec with examples";
}
