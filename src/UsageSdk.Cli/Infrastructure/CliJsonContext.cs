using System.Text.Json.Serialization;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>Source-generated JSON metadata for the few plain values the CLI writes itself (no reflection).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
