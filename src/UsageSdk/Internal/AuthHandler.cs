using System.Net.Http.Headers;

namespace UsageSdk.Internal;

/// <summary>
/// Adds <c>Authorization</c> (<c>Token</c> for an API key, <c>Bearer</c> for an access token) and <c>User-Agent</c> to each
/// request, and counts each try in <see cref="CallState"/>. It is the innermost SDK handler (also under dependency
/// injection, after the user's own handlers), so the user's handlers never see the credential and a replaced retry
/// pipeline's tries are still counted in <see cref="UsageApiException.Attempts"/>. The credential goes only to the origin
/// (scheme, host, port) of <see cref="UsageClientOptions.BaseAddress"/>, checked at every send: a message whose URI a
/// redirect rewrote, or that a handler points elsewhere, is sent without it.
/// </summary>
internal sealed class AuthHandler : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _auth;
    private readonly ProductInfoHeaderValue[] _agent;
    private readonly Uri _origin;

    public AuthHandler(UsageClientOptions options)
    {
        _auth = options.AccessToken is { Length: > 0 } token
            ? new AuthenticationHeaderValue("Bearer", token)
            : new AuthenticationHeaderValue("Token", options.ApiKey);
        _origin = options.BaseAddress;
        var agent = new List<ProductInfoHeaderValue> { new("UsageSdk", UsageDiagnostics.Version) };
        if (!string.IsNullOrWhiteSpace(options.UserAgent) && ProductInfoHeaderValue.TryParse(options.UserAgent, out var extra))
        {
            agent.Add(extra);
        }
        _agent = [.. agent];
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CallState.Current?.AddAttempt();
        request.Headers.Authorization = SameOrigin(request.RequestUri, _origin) ? _auth : null;
        request.Headers.UserAgent.Clear();
        foreach (var a in _agent)
        {
            request.Headers.UserAgent.Add(a);
        }
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Whether <paramref name="uri"/> is absolute and has the scheme, host and port of <paramref name="origin"/>.</summary>
    internal static bool SameOrigin(Uri? uri, Uri origin)
        => uri is { IsAbsoluteUri: true }
            && string.Equals(uri.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase)
            && uri.Port == origin.Port;
}
