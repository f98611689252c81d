using System.Collections.Concurrent;
using System.Text.Json;

namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>One entry of Prism's <c>sl-violations</c> header.</summary>
public sealed record Violation(IReadOnlyList<string> Location, string Severity, string Code, string Message)
{
    /// <summary>True when the entry is about the request (parameters, headers) rather than the response.</summary>
    public bool IsAboutRequest => Location.Count > 0 && Location[0] == "request";

    public override string ToString() => $"{string.Join('.', Location)}: {Message} ({Code})";
}

/// <summary>One call as the server saw it.</summary>
public sealed record Exchange(string Method, Uri Uri, int Status, IReadOnlyList<Violation> Violations, string? Authorization)
{
    public IEnumerable<Violation> RequestViolations => Violations.Where(v => v.IsAboutRequest);

    public override string ToString() => $"{Method} {Uri.PathAndQuery} -> {Status}" + (Violations.Count == 0 ? "" : "\n  " + string.Join("\n  ", Violations));
}

/// <summary>
/// The client's transport in the contract tests (set as <see cref="UsageClientOptions.Transport"/>): records each call
/// with Prism's <c>sl-violations</c> header, and can ask Prism for a named example (<c>Prefer: example=name</c>).
/// </summary>
public sealed class ViolationRecorder() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<Exchange> _exchanges = new();

    /// <summary>The named response example to ask Prism for, or null for its default.</summary>
    public string? PreferExample { get; set; }

    public IReadOnlyList<Exchange> Exchanges => _exchanges.ToArray();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (PreferExample is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", "example=" + PreferExample);
        }
        var response = await base.SendAsync(request, cancellationToken);
        var violations = response.Headers.TryGetValues("sl-violations", out var values)
            ? values.SelectMany(Parse).ToList()
            : [];
        var auth = request.Headers.Authorization?.ToString();
        _exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!, (int)response.StatusCode, violations, auth));
        return response;
    }

    private static IEnumerable<Violation> Parse(string header)
    {
        using var doc = JsonDocument.Parse(header);
        foreach (var v in doc.RootElement.EnumerateArray())
        {
            yield return new Violation(
                v.TryGetProperty("location", out var loc) ? loc.EnumerateArray().Select(e => e.ToString()).ToList() : [],
                v.TryGetProperty("severity", out var sev) ? sev.GetString() ?? "" : "",
                v.TryGetProperty("code", out var code) ? code.ToString() : "",
                v.TryGetProperty("message", out var msg) ? msg.GetString() ?? "" : "");
        }
    }
}
