using System.Data.Common;
using System.Text;
using System.Text.Json;
using UsageSdk.Archive;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>A mistake in the flags or arguments, found by the tool itself (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);

/// <summary>Turns any failure into one line for stderr and an exit code. Never a stack trace, never a credential.</summary>
internal static class CliErrors
{
    public static (string Message, int ExitCode) Describe(Exception e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return ("usage: cancelled.", Cli.ExitCancelled);
            case CliUsageException:
                return ("usage: " + e.Message, Cli.ExitUsage);
            case CliFailureException:
                return ("usage: " + e.Message, Cli.ExitFailure);
            case UsageApiException api:
                return ("usage: " + Describe(api), Cli.ExitFailure);
            case UsageArchiveException archive:
                return ("usage: " + archive.Message, Cli.ExitFailure); // names the condition and the file
            case DbException db:
                return ("usage: the archive's database failed: " + db.Message, Cli.ExitFailure);
            case ArgumentException a:
                return ("usage: " + StripParameter(a), Cli.ExitUsage);
            case IOException or UnauthorizedAccessException:
                return ("usage: " + e.Message, Cli.ExitFailure);
            case JsonException:
                return ("usage: the response could not be read: " + e.Message, Cli.ExitFailure);
            default:
                return ($"usage: unexpected {e.GetType().Name}: {e.Message}", Cli.ExitFailure);
        }
    }

    private static string Describe(UsageApiException e)
    {
        var hint = e.Status switch
        {
            401 or 403 => " Check the API key (DEEPGRAM_API_KEY, --api-key-file or --api-key) and its scopes (usage:read / project:read).",
            404 when e.ErrorCode is "REQUEST_NOT_FOUND" || e.Message.Contains("Request not found", StringComparison.OrdinalIgnoreCase) => " Check the request id (request logs are kept 90 days) and --project.",
            404 => " Check --project (a project id the key can read).",
            0 => " Check the network and --base-url.",
            _ => "",
        };
        var message = e.Message.TrimEnd();
        if (!message.EndsWith('.'))
        {
            message += ".";
        }
        return message + hint;
    }

    private static string StripParameter(ArgumentException a)
    {
        var m = a.Message;
        if (a.ParamName is { } p)
        {
            m = m.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal);
        }
        var actual = m.IndexOf("Actual value was", StringComparison.Ordinal);
        if (actual > 0)
        {
            m = m[..actual];
        }
        return m.Trim();
    }

    /// <summary>
    /// Collapses a message to one line (white space, line breaks included, becomes one space; other control characters
    /// are shown as escapes, see <see cref="TerminalText"/>) and removes every secret from it.
    /// </summary>
    public static string OneLine(string message, IReadOnlyList<string> secrets)
    {
        foreach (var s in secrets)
        {
            if (s.Length > 0)
            {
                message = message.Replace(s, "[REDACTED]", StringComparison.Ordinal);
            }
        }
        var sb = new StringBuilder(message.Length);
        var space = false;
        foreach (var c in message)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!space && sb.Length > 0)
                {
                    sb.Append(' ');
                }
                space = true;
                continue;
            }
            TerminalText.Append(sb, c);
            space = false;
        }
        return sb.ToString().TrimEnd();
    }
}
