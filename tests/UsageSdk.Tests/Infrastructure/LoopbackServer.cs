using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>One request a <see cref="LoopbackServer"/> received: its number (1-based, in order of arrival), request line and headers.</summary>
public sealed record LoopbackRequest(int Number, string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A bare HTTP/1.1 server on a random 127.0.0.1 port, for what WireMock cannot do: a body sent a byte at a time. One
/// request per connection (every answer says <c>Connection: close</c>); the responder writes the answer to the socket.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Func<LoopbackRequest, Stream, CancellationToken, Task> _respond;
    private readonly Task _accepting;
    private int _count;

    public LoopbackServer(Func<LoopbackRequest, Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<LoopbackRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    /// <summary>Writes a whole answer.</summary>
    public static Task AnswerAsync(Stream stream, int status, string body = "", CancellationToken cancellationToken = default, params (string Name, string Value)[] headers)
        => WriteAsync(stream, Head(status, Encoding.UTF8.GetByteCount(body), headers) + body, cancellationToken);

    /// <summary>Writes the head at once (with the full Content-Length), then the body one byte per <paramref name="every"/>.</summary>
    public static async Task TrickleAsync(Stream stream, int status, string body, TimeSpan every, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await WriteAsync(stream, Head(status, bytes.Length, []), cancellationToken);
        for (var i = 0; i < bytes.Length; i++)
        {
            await Task.Delay(every, cancellationToken);
            await stream.WriteAsync(bytes.AsMemory(i, 1), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }

    private static string Head(int status, int length, (string Name, string Value)[] headers)
    {
        var b = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {(HttpStatusCode)status}\r\n");
        b.Append(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            b.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        return b.Append("\r\n").ToString();
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, _stop.Token);
                if (head is null)
                {
                    return;
                }
                var lines = head.Split("\r\n");
                var start = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1).Where(l => l.Contains(':')))
                {
                    var at = line.IndexOf(':');
                    headers[line[..at].Trim()] = line[(at + 1)..].Trim();
                }
                var request = new LoopbackRequest(Interlocked.Increment(ref _count), start[0], start[1], headers);
                _requests.Enqueue(request);
                await _respond(request, stream, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away (as it does when it gives up on a slow body), or the server stopped
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (n == 0)
            {
                return null;
            }
            length += n;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end];
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }
}
