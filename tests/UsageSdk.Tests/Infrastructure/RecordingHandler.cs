using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>A transport that records every request and answers with what <see cref="Respond"/> makes (by default an empty 200 JSON object).</summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<HttpRequestMessage> _requests = new();
    private readonly ConcurrentQueue<string?> _authorizations = new();

    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; }
        = (_, _) => Task.FromResult(Json("{}"));

    public IReadOnlyList<HttpRequestMessage> Requests => [.. _requests];

    public int Count => _requests.Count;

    /// <summary>The <c>Authorization</c> header of each request as it was sent (the client clears it from the message afterwards).</summary>
    public IReadOnlyList<string?> Authorizations => [.. _authorizations];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _authorizations.Enqueue(request.Headers.Authorization?.ToString());
        _requests.Enqueue(request);
        return Respond(request, cancellationToken);
    }

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK)
        => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Bytes(byte[] body, HttpStatusCode status = HttpStatusCode.OK, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        return new HttpResponseMessage(status) { Content = content };
    }
}

/// <summary>Clients over a <see cref="RecordingHandler"/>, nothing leaves the process.</summary>
public static class Clients
{
    public const string Key = "rel-0123456789abcdef0123456789abcdef01234567";
    public const string Project = "5d1e8a34-6f0b-4c2e-9b7d-3a4c5e6f7a8b";
    public static readonly Uri Base = new("https://usage.example.invalid");

    public static UsageClientOptions Options(HttpMessageHandler transport, Action<UsageClientOptions>? configure = null)
    {
        var o = new UsageClientOptions { ApiKey = Key, BaseAddress = Base, Transport = transport };
        configure?.Invoke(o);
        return o;
    }

    public static UsageClient Create(HttpMessageHandler transport, Action<UsageClientOptions>? configure = null)
        => new(Options(transport, configure));
}
