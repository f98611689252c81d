using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using UsageSdk.Archive;

namespace UsageSdk.Dashboard.Internal;

/// <summary>The request handlers of one mounted dashboard: the page, the exports and the static assets. GET and HEAD only.</summary>
internal sealed partial class DashboardEndpoints(UsageDashboardOptions options, IUsageDashboardSource source, string prefix, ILogger logger)
{
    /// <summary>
    /// The Content-Security-Policy of every answer: nothing but this origin's own stylesheet, script and icon; no inline
    /// script or style, no frames, forms only to this origin.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public async Task PageAsync(HttpContext context)
    {
        SetSecurityHeaders(context.Response, cache: false);
        var basePath = BasePath(context);
        var view = await ReadAsync(context).ConfigureAwait(false);
        var model = view.Error is null
            ? new PageModel { Options = options, BasePath = basePath, SourceDescription = source.Description, Projects = view.Projects, View = view.View, Data = view.Data }
            : new PageModel { Options = options, BasePath = basePath, SourceDescription = source.Description, Projects = view.Projects, View = view.View, Error = view.Error, ErrorTitle = view.ErrorTitle };
        if (view.Aborted)
        {
            return;
        }
        context.Response.StatusCode = view.Status;
        var started = Stopwatch.GetTimestamp();
        var html = Encoding.UTF8.GetBytes(DashboardPage.Render(model));
        context.Response.Headers["Server-Timing"] = Timing(view.LoadTime, Stopwatch.GetElapsedTime(started));
        await WriteAsync(context, "text/html; charset=utf-8", html).ConfigureAwait(false);
    }

    public async Task CsvAsync(HttpContext context)
    {
        SetSecurityHeaders(context.Response, cache: false);
        var view = await ReadAsync(context).ConfigureAwait(false);
        if (view.Aborted)
        {
            return;
        }
        if (view.Error is not null)
        {
            await PlainAsync(context, view.Status, view.Error).ConfigureAwait(false);
            return;
        }
        string csv;
        var table = context.Request.Query["table"].ToString();
        try
        {
            csv = DashboardExport.Csv(view.View!, view.Data!.Report, string.IsNullOrWhiteSpace(table) ? null : table.Trim().ToLowerInvariant());
        }
        catch (DashboardInputException e)
        {
            await PlainAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            return;
        }
        var v = view.View!;
        var name = string.IsNullOrWhiteSpace(table) ? "usage" : "usage-" + table.Trim().ToLowerInvariant();
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{SafeFileName(v.ProjectId)}-{v.FromDay:yyyyMMdd}-{v.ToDay:yyyyMMdd}.csv\"";
        await WriteAsync(context, "text/csv; charset=utf-8", DashboardExport.Bytes(csv)).ConfigureAwait(false);
    }

    public async Task JsonAsync(HttpContext context)
    {
        SetSecurityHeaders(context.Response, cache: false);
        var view = await ReadAsync(context).ConfigureAwait(false);
        if (view.Aborted)
        {
            return;
        }
        if (view.Error is not null)
        {
            await PlainAsync(context, view.Status, view.Error).ConfigureAwait(false);
            return;
        }
        var v = view.View!;
        var project = view.Projects.FirstOrDefault(p => p.ProjectId == v.ProjectId);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"usage-{SafeFileName(v.ProjectId)}-{v.FromDay:yyyyMMdd}-{v.ToDay:yyyyMMdd}.json\"";
        await WriteAsync(context, "application/json; charset=utf-8", DashboardExport.Json(v, project, source.Description, view.Data!)).ConfigureAwait(false);
    }

    public static Task AssetAsync(HttpContext context, string name, string contentType)
    {
        SetSecurityHeaders(context.Response, cache: true);
        return WriteAsync(context, contentType, Assets.Get(name));
    }

    // ------------------------------------------------------------------ reading a view

    private sealed class ViewResult
    {
        public IReadOnlyList<UsageDashboardProject> Projects { get; init; } = [];
        public DashboardView? View { get; init; }
        public UsageDashboardData? Data { get; init; }
        public string? Error { get; init; }
        public string? ErrorTitle { get; init; }
        public int Status { get; init; } = StatusCodes.Status200OK;
        public bool Aborted { get; init; }
        public TimeSpan LoadTime { get; init; }
    }

    /// <summary>The Server-Timing header (browsers' developer tools show it): the source's time and the rendering's.</summary>
    private static string Timing(TimeSpan load, TimeSpan render)
        => FormattableString.Invariant($"source;dur={load.TotalMilliseconds:0.0};desc=\"read the usage\", render;dur={render.TotalMilliseconds:0.0};desc=\"HTML and SVG\"");

    private async Task<ViewResult> ReadAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        IReadOnlyList<UsageDashboardProject> projects = [];
        DashboardView? view = null;
        try
        {
            projects = await source.GetProjectsAsync(ct).ConfigureAwait(false);
            if (projects.Count == 0)
            {
                return new ViewResult { Error = $"The source ({source.Description}) offers no project.", ErrorTitle = "No project", Status = StatusCodes.Status500InternalServerError };
            }
            view = DashboardView.Parse(context.Request.Query, options, projects);
            var query = new UsageDashboardQuery(view.ProjectId, view.Start, view.End, view.Now, view.Filters, options.Report);
            var started = Stopwatch.GetTimestamp();
            var data = await source.LoadAsync(query, ct).ConfigureAwait(false);
            return new ViewResult { Projects = projects, View = view, Data = data, LoadTime = Stopwatch.GetElapsedTime(started) };
        }
        catch (DashboardInputException e)
        {
            return new ViewResult { Projects = projects, Error = e.Message, ErrorTitle = "This address names no view", Status = StatusCodes.Status400BadRequest };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new ViewResult { Aborted = true };
        }
        catch (Exception e)
        {
            LogSourceFailed(logger, e, source.Description, view?.ProjectId);
            var message = e switch
            {
                UsageApiException api => $"The usage API failed: {api.Message}",
                UsageArchiveException archive => $"The archive failed: {archive.Message}",
                ArgumentException arg => $"The source refused the view: {arg.Message}",
                _ => $"The source ({source.Description}) failed ({e.GetType().Name}); the server log has the details.",
            };
            return new ViewResult { Projects = projects, Error = message, ErrorTitle = "The usage could not be read", Status = StatusCodes.Status502BadGateway };
        }
    }

    // ------------------------------------------------------------------ helpers

    private string BasePath(HttpContext context)
    {
        var path = context.Request.PathBase.Value + (prefix == "/" ? "" : prefix);
        return path.Length == 0 ? "/" : path;
    }

    internal static void SetSecurityHeaders(HttpResponse response, bool cache)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h.CacheControl = cache ? "public, max-age=3600" : "no-store";
    }

    private static async Task WriteAsync(HttpContext context, string contentType, byte[] body)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return WriteAsync(context, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message + "\n"));
    }

    private static string SafeFileName(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "The usage dashboard could not read {Source} for project {Project}")]
    private static partial void LogSourceFailed(ILogger logger, Exception exception, string source, string? project);
}
