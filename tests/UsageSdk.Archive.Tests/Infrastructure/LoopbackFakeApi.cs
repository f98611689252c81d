using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UsageSdk.Testing;

namespace UsageSdk.Archive.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeUsageApi"/> served over HTTP on 127.0.0.1 at a free port (Kestrel), so a host configured with a
/// plain <c>UsageSdk:BaseAddress</c> talks to it through a real socket. Every request is handed to the fake as it came
/// (method, path and query, headers, body) and its answer copied back.
/// </summary>
public sealed class LoopbackFakeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;

    private LoopbackFakeApi(WebApplication app, HttpMessageInvoker invoker, FakeUsageApi api, Uri address)
    {
        _app = app;
        _invoker = invoker;
        Api = api;
        BaseAddress = address;
    }

    /// <summary>The fake behind the socket (its data, recorded requests and faults).</summary>
    public FakeUsageApi Api { get; }

    /// <summary>The address, <c>http://127.0.0.1:{port}</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts serving <paramref name="api"/>.</summary>
    public static async Task<LoopbackFakeApi> StartAsync(FakeUsageApi api)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.AddServerHeader = false;
        });
        var app = builder.Build();
        var invoker = new HttpMessageInvoker(api, disposeHandler: false);
        app.Run(ctx => ForwardAsync(ctx, invoker));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackFakeApi(app, invoker, api, new Uri(address.TrimEnd('/')));
    }

    private static async Task ForwardAsync(HttpContext ctx, HttpMessageInvoker invoker)
    {
        var target = new Uri(FakeUsageApi.BaseAddress, ctx.Request.Path.Value + ctx.Request.QueryString.Value);
        using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), target);
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(ctx.Request.Body);
        }
        foreach (var (name, values) in ctx.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue; // the fake's own host stands in
            }
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }
        using var response = await invoker.SendAsync(request, ctx.RequestAborted);
        ctx.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                ctx.Response.Headers[name] = values.ToArray();
            }
        }
        await response.Content.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _invoker.Dispose();
    }
}
