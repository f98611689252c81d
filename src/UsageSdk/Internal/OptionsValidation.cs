namespace UsageSdk.Internal;

/// <summary>
/// The rules of <see cref="UsageClientOptions"/> and of the API key: checked by the client's constructors and by DI's
/// <c>ValidateOnStart</c> (<see cref="UsageClientOptionsValidator"/>); each message names the setting to fix.
/// </summary>
internal static class OptionsValidation
{
    /// <summary>The key of <c>new UsageClient(apiKey)</c>: not empty, no spaces or control characters.</summary>
    public static string CheckKey(string apiKey)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException("The API key is missing. Pass a Deepgram API key (for example from the DEEPGRAM_API_KEY variable).", nameof(apiKey));
        }
        if (apiKey.Any(c => char.IsControl(c) || c == ' '))
        {
            throw new ArgumentException("The API key contains spaces or control characters; pass the key exactly as Deepgram shows it.", nameof(apiKey));
        }
        return apiKey;
    }

    public static void ThrowIfInvalid(UsageClientOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
    }

    /// <summary>Checks the options; each message names the setting to fix. Used by the constructor and by DI's ValidateOnStart.</summary>
    public static List<string> Validate(UsageClientOptions o)
    {
        var errors = new List<string>();
        var hasKey = !string.IsNullOrWhiteSpace(o.ApiKey);
        var hasToken = !string.IsNullOrWhiteSpace(o.AccessToken);
        if (!hasKey && !hasToken)
        {
            errors.Add("UsageClientOptions.ApiKey is not set: set an API key (or UsageClientOptions.AccessToken for a JWT).");
        }
        if (hasKey && hasToken)
        {
            errors.Add("Set UsageClientOptions.ApiKey or UsageClientOptions.AccessToken, not both.");
        }
        foreach (var (name, value) in new[] { ("ApiKey", o.ApiKey), ("AccessToken", o.AccessToken) })
        {
            if (value is not null && value.Any(c => char.IsControl(c) || c == ' '))
            {
                errors.Add($"UsageClientOptions.{name} contains spaces or control characters.");
            }
        }
        if (!string.IsNullOrWhiteSpace(o.UserAgent) && !System.Net.Http.Headers.ProductInfoHeaderValue.TryParse(o.UserAgent, out _))
        {
            errors.Add($"UsageClientOptions.UserAgent '{OpenEnum.Printable(o.UserAgent)}' is not one product token such as 'my-app/1.2'.");
        }
        if (o.BaseAddress is null)
        {
            errors.Add("UsageClientOptions.BaseAddress is not set.");
        }
        else if (!o.BaseAddress.IsAbsoluteUri || (o.BaseAddress.Scheme != Uri.UriSchemeHttps && o.BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"UsageClientOptions.BaseAddress must be an absolute http(s) address; got '{o.BaseAddress}'.");
        }
        else if (o.BaseAddress.Scheme == Uri.UriSchemeHttp && !o.BaseAddress.IsLoopback && !o.AllowInsecureTransport)
        {
            errors.Add($"UsageClientOptions.BaseAddress '{o.BaseAddress}' is plain http to a host that is not loopback: the key would cross the network in clear text. Use https, or set AllowInsecureTransport.");
        }
        else if (!string.IsNullOrEmpty(o.BaseAddress.Query) || !string.IsNullOrEmpty(o.BaseAddress.Fragment))
        {
            errors.Add("UsageClientOptions.BaseAddress must not have a query or fragment.");
        }
        if (o.Timeout <= TimeSpan.Zero && o.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add("UsageClientOptions.Timeout must be positive.");
        }
        else if (o.Timeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add("UsageClientOptions.Timeout must be at most 24 days (or Timeout.InfiniteTimeSpan).");
        }
        if (o.Retry is null)
        {
            errors.Add("UsageClientOptions.Retry is not set.");
        }
        else
        {
            if (o.Retry.MaxRetries is < 0 or > 20)
            {
                errors.Add("UsageClientOptions.Retry.MaxRetries must be from 0 to 20.");
            }
            foreach (var (name, value) in new[] { ("Delay", o.Retry.Delay), ("MaxDelay", o.Retry.MaxDelay), ("MaxRetryAfter", o.Retry.MaxRetryAfter) })
            {
                if (value < TimeSpan.Zero)
                {
                    errors.Add($"UsageClientOptions.Retry.{name} must not be negative.");
                }
            }
            if (o.Retry.TryTimeout <= TimeSpan.Zero && o.Retry.TryTimeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                errors.Add("UsageClientOptions.Retry.TryTimeout must be positive.");
            }
            else if (o.Retry.TryTimeout.TotalMilliseconds > int.MaxValue)
            {
                errors.Add("UsageClientOptions.Retry.TryTimeout must be at most 24 days (or Timeout.InfiniteTimeSpan).");
            }
        }
        if (o.LogStates is null)
        {
            errors.Add("UsageClientOptions.LogStates is not set.");
        }
        else if (o.LogStates.PendingFor < TimeSpan.Zero || o.LogStates.LostAfter < o.LogStates.PendingFor)
        {
            errors.Add("UsageClientOptions.LogStates.LostAfter must be at least PendingFor, and both non-negative.");
        }
        if (o.MaxResponseBytes < 1024)
        {
            errors.Add("UsageClientOptions.MaxResponseBytes must be at least 1024.");
        }
        if (o.MaxJsonDepth is < 8 or > 1024)
        {
            errors.Add("UsageClientOptions.MaxJsonDepth must be from 8 to 1024.");
        }
        if (o.TimeProvider is null)
        {
            errors.Add("UsageClientOptions.TimeProvider is not set.");
        }
        return errors;
    }
}
