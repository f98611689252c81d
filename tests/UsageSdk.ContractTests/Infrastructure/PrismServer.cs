using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>
/// One Prism mock server (<c>prism mock</c>) on a free loopback port, started from the committed install in
/// tests/UsageSdk.ContractTests/prism. It is ready when an authorized GET answers 200; it is killed on dispose.
/// </summary>
public sealed class PrismServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private PrismServer(Process process, Uri baseAddress, string spec)
    {
        _process = process;
        BaseAddress = baseAddress;
        Spec = spec;
    }

    /// <summary>The server's root, for example <c>http://127.0.0.1:41234/</c> (Prism serves the spec's paths at the root).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The spec file it serves.</summary>
    public string Spec { get; }

    /// <summary>The last lines Prism printed (for failure messages).</summary>
    public string LogTail
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>The Prism executable of the committed install; fails with the install command when it is missing.</summary>
    public static string Executable
    {
        get
        {
            var bin = Path.Combine(ContractPaths.PrismDirectory, "node_modules", ".bin", "prism");
            if (!File.Exists(bin))
            {
                throw new InvalidOperationException(
                    $"Prism is not installed ({bin} is missing). The contract tests need it: run `{ContractPaths.InstallPrism}` " +
                    "from the checkout root (Node 18.20+; the lockfile pins @stoplight/prism-cli 5.14.2).");
            }
            return bin;
        }
    }

    /// <summary>Starts Prism on <paramref name="spec"/> and waits until it answers.</summary>
    public static async Task<PrismServer> StartAsync(string spec)
    {
        var executable = Executable;
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var server = Launch(executable, spec, FreePort());
            try
            {
                await server.WaitUntilReadyAsync();
                return server;
            }
            catch (PrismExitedException e)
            {
                // Most likely the port was taken between choosing and binding it: choose another.
                last = e;
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
        throw new InvalidOperationException("Prism did not start.", last);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static PrismServer Launch(string executable, string spec, int port)
    {
        var psi = new ProcessStartInfo(executable)
        {
            WorkingDirectory = ContractPaths.PrismDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "mock", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), spec })
        {
            psi.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new PrismServer(process, new Uri($"http://127.0.0.1:{port}/"), spec);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 40)
            {
                _log.Dequeue();
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var probe = new Uri(BaseAddress, "v1/projects/contract-probe/usage/fields");
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new PrismExitedException($"Prism exited with code {_process.ExitCode} before it was ready.\n{LogTail}");
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, probe);
                request.Headers.TryAddWithoutValidation("Authorization", "Token contract-probe");
                using var response = await http.SendAsync(request, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One probe timed out; try again.
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        throw new TimeoutException($"Prism did not answer within {StartTimeout.TotalSeconds:0} s on {BaseAddress}.\n{LogTail}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }

    private sealed class PrismExitedException(string message) : Exception(message);
}
