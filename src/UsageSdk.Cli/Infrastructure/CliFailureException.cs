namespace UsageSdk.Cli.Infrastructure;

/// <summary>A failure the tool explains in its own words (exit code 1, one line), such as a key not allowed to read billing.</summary>
internal sealed class CliFailureException(string message, Exception? inner = null) : Exception(message, inner);
