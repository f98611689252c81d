using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Web;
using Microsoft.Extensions.Time.Testing;

namespace UsageSdk.Tests.Paging;

/// <summary>
/// <see cref="RequestsQuery.WithPrefetch"/>: up to n pages in flight, items in the same order as without prefetch, no
/// duplicate, the same pinned <c>end</c> on every request, a stop at the first short page, errors and cancellation
/// surfacing as they do without prefetch. Every test runs on an in-memory handler (no sockets, no sleeps).
/// </summary>
public sealed class PrefetchTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    public async Task Items_come_in_the_same_order_without_duplicates(int prefetch)
    {
        // Pages shift while listing: each page repeats the last id of the page before it (a request arrived at the head).
        var server = new PageServer(pageSize: 5, fullPages: 9, shortPageSize: 2, shift: true);
        var client = server.Client();

        var serial = await ListAsync(client, new RequestsQuery().WithPageSize(5));
        var prefetched = await ListAsync(client, new RequestsQuery().WithPageSize(5).WithPrefetch(prefetch));

        Assert.Equal(serial, prefetched);
        Assert.Equal(prefetched.Count, prefetched.Distinct().Count());
        Assert.Equal(server.ExpectedIds(), prefetched);
    }

    [Fact]
    public async Task Four_pages_are_in_flight_at_once_all_with_the_same_pinned_end()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero));
        // Every page is held until four requests are waiting: a pager that asks for fewer at once never gets an answer.
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new PageServer(pageSize: 3, fullPages: 12, shortPageSize: 1)
        {
            BeforeAnswer = async (page, arrived, ct) =>
            {
                if (arrived == 4)
                {
                    barrier.TrySetResult();
                }
                clock.Advance(TimeSpan.FromMinutes(1)); // time passes while paging; the end must not move
                await barrier.Task.WaitAsync(ct);
            },
        };
        var client = server.Client(clock);

        var items = await ListAsync(client, new RequestsQuery().WithPageSize(3).WithPrefetch(4)).WaitAsync(SafetyNet);

        Assert.Equal(server.ExpectedIds(), items);
        Assert.Equal(4, server.MaxInFlight);
        var ends = server.Requests.Select(r => r.End).Distinct().ToList();
        Assert.Equal(["2025-07-01T12:00:00Z"], ends);
        Assert.Equal(Enumerable.Range(0, 13), server.Requests.Select(r => r.Page).Order().Take(13));
    }

    [Fact]
    public async Task A_short_page_stops_the_listing_and_later_pages_are_never_yielded()
    {
        // Page 2 is short; pages 3 and later answer with full pages that must not show up.
        var server = new PageServer(pageSize: 4, fullPages: 2, shortPageSize: 1) { FullPagesAfterShort = true };
        var client = server.Client();

        var pages = new List<Page<UsageRequest>>();
        await foreach (var page in client.GetRequestsAsync(PageServer.Project, new RequestsQuery().WithPageSize(4).WithPrefetch(4)).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal([4, 4, 1], pages.Select(p => p.Values.Count));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal(server.ExpectedIds(), pages.SelectMany(p => p.Values).Select(v => v.RequestId!));
        Assert.InRange(server.Requests.Max(r => r.Page), 2, 2 + 3); // at most the pages in flight past the short one
    }

    [Fact]
    public async Task An_error_surfaces_as_UsageApiException_with_the_token_of_the_failed_page()
    {
        var server = new PageServer(pageSize: 2, fullPages: 6, shortPageSize: 0) { FailPage = 3 };
        var client = server.Client();
        var query = new RequestsQuery().Until(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero)).WithPageSize(2).WithPrefetch(4);

        var seen = new List<string>();
        var e = await Assert.ThrowsAsync<UsageApiException>(async () =>
        {
            await foreach (var item in client.GetRequestsAsync(PageServer.Project, query))
            {
                seen.Add(item.RequestId!);
            }
        });

        Assert.Equal(400, e.Status);
        Assert.Equal(server.ExpectedIds().Take(6), seen); // pages 0, 1 and 2, in order, before the error
        Assert.NotNull(e.ContinuationToken);

        // The token resumes at the failed page once the server recovers.
        server.FailPage = null;
        var rest = new List<string>();
        await foreach (var page in client.GetRequestsAsync(PageServer.Project, query).AsPages(e.ContinuationToken))
        {
            rest.AddRange(page.Values.Select(v => v.RequestId!));
        }
        Assert.Equal(server.ExpectedIds().Skip(6), rest);
    }

    [Fact]
    public async Task Cancelling_stops_the_pages_in_flight_and_asks_for_no_more()
    {
        var server = new PageServer(pageSize: 2, fullPages: 100, shortPageSize: 0)
        {
            // Page 0 answers; every later page hangs until its request is cancelled.
            BeforeAnswer = (page, _, ct) => page == 0 ? Task.CompletedTask : Task.Delay(Timeout.Infinite, ct),
        };
        var client = server.Client();
        using var cts = new CancellationTokenSource();

        var read = 0;
        var e = await Record.ExceptionAsync(async () =>
        {
            await foreach (var item in client.GetRequestsAsync(PageServer.Project, new RequestsQuery().WithPageSize(2).WithPrefetch(4), cts.Token))
            {
                read++;
                if (read == 2)
                {
                    await server.WaitForRequestsAsync(4).WaitAsync(SafetyNet);
                    await cts.CancelAsync();
                }
            }
        }).WaitAsync(SafetyNet);

        Assert.IsAssignableFrom<OperationCanceledException>(e);
        Assert.Equal(2, read);
        Assert.Equal(4, server.Requests.Count); // pages 0 to 3, then nothing
        Assert.Equal(3, server.Cancelled);      // pages 1 to 3 were cancelled while in flight
        Assert.Equal(0, server.InFlight);
    }

    [Fact]
    public async Task Stopping_early_cancels_the_pages_fetched_ahead()
    {
        var server = new PageServer(pageSize: 2, fullPages: 100, shortPageSize: 0)
        {
            BeforeAnswer = (page, _, ct) => page == 0 ? Task.CompletedTask : Task.Delay(Timeout.Infinite, ct),
        };
        var client = server.Client();

        await foreach (var item in client.GetRequestsAsync(PageServer.Project, new RequestsQuery().WithPageSize(2).WithPrefetch(3)))
        {
            await server.WaitForRequestsAsync(3).WaitAsync(SafetyNet);
            break;
        }

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, server.Cancelled);
        Assert.Equal(0, server.InFlight);
    }

    [Fact]
    public async Task The_response_body_is_streamed_not_buffered_by_the_transport()
    {
        // If Refit (or HttpClient) buffered the body before handing the response over, it would call SerializeToStreamAsync.
        var content = new WatchedContent("""{"page":0,"limit":1000,"requests":[{"request_id":"a"}]}""");
        var handler = new LambdaHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content }));
        var client = new UsageClient(new UsageClientOptions { ApiKey = "k", BaseAddress = new Uri("http://127.0.0.1/"), Transport = handler });

        var items = await ListAsync(client, new RequestsQuery());

        Assert.Equal(["a"], items);
        Assert.True(content.StreamRead);
        Assert.False(content.Buffered);
    }

    private static async Task<List<string>> ListAsync(UsageClient client, RequestsQuery query)
    {
        var ids = new List<string>();
        await foreach (var item in client.GetRequestsAsync(PageServer.Project, query))
        {
            ids.Add(item.RequestId!);
        }
        return ids;
    }

    /// <summary>A fake <c>/requests</c>: full pages, then a short one; records every request and what was in flight.</summary>
    private sealed class PageServer(int pageSize, int fullPages, int shortPageSize, bool shift = false)
    {
        public const string Project = "proj-1";

        private int _inFlight;
        private int _maxInFlight;
        private int _cancelled;
        private readonly ConcurrentQueue<(int Page, string End)> _requests = new();
        private readonly object _gate = new();
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

        public Func<int, int, CancellationToken, Task>? BeforeAnswer { get; init; }
        public int? FailPage { get; set; }
        public bool FullPagesAfterShort { get; init; }
        public IReadOnlyList<(int Page, string End)> Requests => [.. _requests];
        public int MaxInFlight => Volatile.Read(ref _maxInFlight);
        public int InFlight => Volatile.Read(ref _inFlight);
        public int Cancelled => Volatile.Read(ref _cancelled);

        public UsageClient Client(TimeProvider? time = null) => new(new UsageClientOptions
        {
            ApiKey = "k",
            BaseAddress = new Uri("http://127.0.0.1/"),
            Transport = new LambdaHandler(AnswerAsync),
            TimeProvider = time ?? TimeProvider.System,
            Retry = { Enabled = false },
            // Tests move the fake clock minutes ahead while pages are in flight; the call's Timeout runs on that clock.
            Timeout = Timeout.InfiniteTimeSpan,
        });

        public List<string> ExpectedIds()
            => [.. Enumerable.Range(0, fullPages).SelectMany(p => Enumerable.Range(0, pageSize).Select(i => Id(p, i))).Concat(Enumerable.Range(0, shortPageSize).Select(i => Id(fullPages, i)))];

        public Task WaitForRequestsAsync(int count)
        {
            lock (_gate)
            {
                if (_requests.Count >= count)
                {
                    return Task.CompletedTask;
                }
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, done));
                return done.Task;
            }
        }

        private static string Id(int page, int index) => string.Create(CultureInfo.InvariantCulture, $"req-{page:D4}-{index:D2}");

        private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var q = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var page = int.Parse(q["page"]!, CultureInfo.InvariantCulture);
            int arrived;
            lock (_gate)
            {
                _requests.Enqueue((page, q["end"]!));
                arrived = ++_inFlight;
                _maxInFlight = Math.Max(_maxInFlight, arrived);
                foreach (var w in _waiters.Where(w => _requests.Count >= w.Count).ToList())
                {
                    w.Done.TrySetResult();
                    _waiters.Remove(w);
                }
            }
            try
            {
                if (BeforeAnswer is { } before)
                {
                    await before(page, arrived, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
            if (page == FailPage)
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest)
                {
                    Content = new StringContent("""{"err_code":"INVALID","err_msg":"bad page"}""", Encoding.UTF8, "application/json"),
                };
            }
            // The listing, newest first; with shift, every page after the first starts one item early (a request arrived at the head).
            var ids = FullPagesAfterShort && page > fullPages
                ? Enumerable.Range(0, pageSize).Select(i => Id(page, i)).ToList()
                : ExpectedIds().Skip((page * pageSize) - (shift && page > 0 ? 1 : 0)).Take(pageSize).ToList();
            var items = string.Join(",", ids.Select(id => "{\"request_id\":\"" + id + "\",\"created\":\"2025-06-30T10:00:00Z\",\"response\":{\"code\":200,\"completed\":\"2025-06-30T10:00:01Z\"}}"));
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"page":{{page}},"limit":{{pageSize}},"requests":[{{items}}]}""", Encoding.UTF8, "application/json"),
            };
        }
    }

    private sealed class LambdaHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request, cancellationToken);
    }

    private sealed class WatchedContent(string json) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(json);

        public bool Buffered { get; private set; }
        public bool StreamRead { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Buffered = true;
            return stream.WriteAsync(_bytes, 0, _bytes.Length);
        }

        protected override Task<Stream> CreateContentReadStreamAsync()
        {
            StreamRead = true;
            return Task.FromResult<Stream>(new MemoryStream(_bytes, writable: false));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
