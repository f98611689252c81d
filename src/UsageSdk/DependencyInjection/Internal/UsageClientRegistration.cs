namespace UsageSdk.Internal;

/// <summary>One <c>AddUsageClient</c> registration: its options name, its <see cref="HttpClient"/> name and where its configuration came from.</summary>
internal sealed class UsageClientRegistration(string name, string? configurationPath)
{
    public const string HttpClientNamePrefix = "UsageSdk.UsageClient";

    public string Name { get; } = name;

    public string HttpClientName { get; } = name.Length == 0 ? HttpClientNamePrefix : HttpClientNamePrefix + ":" + name;

    public string? ConfigurationPath { get; } = configurationPath;

    /// <summary>How messages refer to this registration: <c>UsageClient 'name' (configuration section 'X')</c>.</summary>
    public string Describe()
    {
        var text = Name.Length == 0 ? "UsageClient" : $"UsageClient '{Name}'";
        return ConfigurationPath is { Length: > 0 } path ? $"{text} (configuration section '{path}')" : text;
    }
}
