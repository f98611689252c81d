using System.Net;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Internal;

/// <summary>
/// A cancelled token stops paging, retries and Retry-After waits at once and throws <see cref="OperationCanceledException"/>,
/// never wrapped in <see cref="UsageApiException"/>: before a call, during one, during a back-off wait (on a fake clock
/// that never moves, so the wait could only end by cancellation) and between pages. Waits of 30 s below are safety nets
/// that must never be reached, not timings.
/// </summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    public enum Call { Requests, Request, Summary, Breakdown, Fields }

    private static Task CallAsync(UsageClient client, Call call, CancellationToken ct) => call switch
    {
        Call.Requests => DrainAsync(client.GetRequestsAsync(Clients.Project, new RequestsQuery().WithPageSize(2), ct)),
        Call.Request => client.GetRequestAsync(Clients.Project, "r-1", ct),
        Call.Summary => client.GetSummaryAsync(Clients.Project, null, ct),
        Call.Breakdown => client.GetBreakdownAsync(Clients.Project, null, ct),
        Call.Fields => client.GetFieldsAsync(Clients.Project, null, null, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };

    private static async Task DrainAsync(IAsyncEnumerable<UsageRequest> items)
    {
        await foreach (var _ in items)
        {
        }
    }

    private static async Task<Exception> CatchAsync(Task task)
    {
        try
        {
            await task.WaitAsync(SafetyNet);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException("The call did not stop after its token was cancelled.");
        }
        catch (Exception e)
        {
            return e;
        }
        throw new Xunit.Sdk.XunitException("The call completed although its token was cancelled.");
    }

    private static void AssertCancelled(Exception e)
    {
        Assert.IsAssignableFrom<OperationCanceledException>(e);
        for (var x = e; x is not null; x = x.InnerException)
        {
            Assert.IsNotType<UsageApiException>(x);
        }
    }

    [Theory]
    [InlineData(Call.Requests, 0)]
    [InlineData(Call.Request, 0)]
    [InlineData(Call.Summary, 0)]
    [InlineData(Call.Breakdown, 0)]
    [InlineData(Call.Fields, 0)]
    [InlineData(Call.Summary, 3)]
    [InlineData(Call.Requests, 3)]
    public async Task A_token_cancelled_before_the_call_sends_nothing(Call call, int maxRetries)
    {
        var handler = new RecordingHandler();
        var client = Clients.Create(handler, o => o.Retry.MaxRetries = maxRetries);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        AssertCancelled(await CatchAsync(CallAsync(client, call, cts.Token)));
        Assert.Equal(0, handler.Count);
    }

    [Theory]
    [InlineData(Call.Requests)]
    [InlineData(Call.Request)]
    [InlineData(Call.Summary)]
    [InlineData(Call.Breakdown)]
    [InlineData(Call.Fields)]
    public async Task Cancelling_during_a_call_stops_it(Call call)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            Respond = async (_, ct) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct); // a server that never answers
                throw new InvalidOperationException("unreachable");
            },
        };
        var client = Clients.Create(handler);
        using var cts = new CancellationTokenSource();

        var task = CallAsync(client, call, cts.Token);
        await entered.Task.WaitAsync(SafetyNet);
        await cts.CancelAsync();

        AssertCancelled(await CatchAsync(task));
        Assert.Equal(1, handler.Count); // not retried
    }

    [Theory]
    [InlineData(Call.Summary, 503)]
    [InlineData(Call.Summary, 429)]
    [InlineData(Call.Requests, 503)]
    [InlineData(Call.Requests, 429)]
    [InlineData(Call.Request, 429)]
    [InlineData(Call.Fields, 500)]
    public async Task Cancelling_during_a_back_off_or_Retry_After_wait_stops_it(Call call, int status)
    {
        var clock = new WaitSignallingTimeProvider();
        var handler = new RecordingHandler
        {
            Respond = (_, _) =>
            {
                var response = RecordingHandler.Json("""{"err_code":"BUSY","err_msg":"busy"}""", (HttpStatusCode)status);
                if (status == 429)
                {
                    response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(45));
                }
                return Task.FromResult(response);
            },
        };
        var client = Clients.Create(handler, o =>
        {
            o.TimeProvider = clock;
            o.Retry.MaxRetries = 5;
            o.Retry.Delay = TimeSpan.FromSeconds(20);
            o.Retry.TryTimeout = Timeout.InfiniteTimeSpan;
        });
        using var cts = new CancellationTokenSource();

        var task = CallAsync(client, call, cts.Token);
        var wait = await clock.FirstWait.WaitAsync(SafetyNet); // the client now waits on the clock, which never moves
        await cts.CancelAsync();

        AssertCancelled(await CatchAsync(task));
        Assert.Equal(1, handler.Count); // the retry was never sent
        var asked = status == 429 ? TimeSpan.FromSeconds(45) : TimeSpan.FromSeconds(20);
        Assert.InRange(wait, asked * 0.8, asked * 1.2); // back-off has ±20 % jitter
        Assert.Equal(WaitSignallingTimeProvider.Start, clock.GetUtcNow()); // nothing advanced the clock: the wait did not end by itself
    }

    [Fact]
    public async Task Cancelling_between_retries_stops_the_next_try()
    {
        var clock = new WaitSignallingTimeProvider();
        var n = 0;
        var secondTry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            Respond = async (_, ct) =>
            {
                if (Interlocked.Increment(ref n) == 1)
                {
                    return RecordingHandler.Json("{}", HttpStatusCode.BadGateway);
                }
                secondTry.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            },
        };
        var client = Clients.Create(handler, o => { o.TimeProvider = clock; o.Retry.Delay = TimeSpan.FromSeconds(1); o.Retry.TryTimeout = Timeout.InfiniteTimeSpan; });
        using var cts = new CancellationTokenSource();

        var task = client.GetSummaryAsync(Clients.Project, null, cts.Token);
        await clock.FirstWait.WaitAsync(SafetyNet);
        clock.Fake.Advance(TimeSpan.FromSeconds(2)); // let the back-off end: the second try starts and hangs
        await secondTry.Task.WaitAsync(SafetyNet);
        await cts.CancelAsync();

        AssertCancelled(await CatchAsync(task));
        Assert.Equal(2, handler.Count); // no third try
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(4, false)]
    public async Task Cancelling_between_pages_stops_the_listing(int prefetch, bool tokenAtCall)
    {
        var handler = new RecordingHandler
        {
            Respond = (r, _) =>
            {
                var page = int.Parse(System.Web.HttpUtility.ParseQueryString(r.RequestUri!.Query)["page"]!, System.Globalization.CultureInfo.InvariantCulture);
                return Task.FromResult(RecordingHandler.Json($$"""{"page":{{page}},"limit":2,"requests":[{"request_id":"a{{page}}"},{"request_id":"b{{page}}"}]}"""));
            },
        };
        var client = Clients.Create(handler);
        using var cts = new CancellationTokenSource();
        var query = new RequestsQuery().WithPageSize(2).WithPrefetch(prefetch);
        var pageable = client.GetRequestsAsync(Clients.Project, query, tokenAtCall ? cts.Token : default);
        var pages = pageable.AsPages().WithCancellation(tokenAtCall ? default : cts.Token);
        var read = 0;

        var e = await CatchAsync(Task.Run(async () =>
        {
            await foreach (var page in pages)
            {
                read++;
                Assert.Equal(2, page.Values.Count);
                await cts.CancelAsync(); // the listing is endless: only the token can stop it
            }
        }));

        AssertCancelled(e);
        Assert.Equal(1, read);
        Assert.InRange(handler.Count, 1, prefetch + 1); // the pages in flight at most, then nothing
    }

    [Fact]
    public async Task Cancelling_the_item_enumeration_stops_the_listing()
    {
        var handler = new RecordingHandler
        {
            Respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"page":0,"limit":2,"requests":[{"request_id":"a"},{"request_id":"b"}]}""")),
        };
        var client = Clients.Create(handler);
        using var cts = new CancellationTokenSource();
        var items = 0;

        var e = await CatchAsync(Task.Run(async () =>
        {
            await foreach (var _ in client.GetRequestsAsync(Clients.Project, new RequestsQuery().WithPageSize(2)).WithCancellation(cts.Token))
            {
                if (++items == 2)
                {
                    await cts.CancelAsync();
                }
            }
        }));

        AssertCancelled(e);
        Assert.Equal(2, items);
        Assert.Equal(1, handler.Count);
    }

    /// <summary>The contrast: a try that times out (not the caller's token) is a UsageApiException, not a cancellation.</summary>
    [Fact]
    public async Task A_timeout_is_a_UsageApiException_not_a_cancellation()
    {
        var clock = new WaitSignallingTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            Respond = async (_, ct) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            },
        };
        var client = Clients.Create(handler, o => { o.TimeProvider = clock; o.Retry.MaxRetries = 0; o.Retry.TryTimeout = TimeSpan.FromSeconds(10); });

        var task = client.GetSummaryAsync(Clients.Project);
        await entered.Task.WaitAsync(SafetyNet);
        clock.Fake.Advance(TimeSpan.FromSeconds(11));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => task.WaitAsync(SafetyNet));
        Assert.Equal(0, e.Status);
        Assert.IsAssignableFrom<TimeoutException>(e.InnerException);
    }

    /// <summary>A fake clock that stands still and tells when the code under test starts its first finite wait.</summary>
    private sealed class WaitSignallingTimeProvider : TimeProvider
    {
        public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        public static readonly TimeSpan OverallTimeout = new UsageClientOptions().Timeout;
        private readonly TaskCompletionSource<TimeSpan> _firstWait = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FakeTimeProvider Fake { get; } = new(Start);

        public Task<TimeSpan> FirstWait => _firstWait.Task;

        public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

        public override long GetTimestamp() => Fake.GetTimestamp();

        public override long TimestampFrequency => Fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = Fake.CreateTimer(callback, state, dueTime, period);
            // The overall budget (UsageClientOptions.Timeout, 100 s by default) also runs on this clock: not a wait.
            if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan && dueTime != OverallTimeout)
            {
                _firstWait.TrySetResult(dueTime);
            }
            return timer;
        }
    }
}
