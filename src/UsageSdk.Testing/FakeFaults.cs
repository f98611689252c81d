namespace UsageSdk.Testing;

/// <summary>
/// Fault injection of a <see cref="FakeUsageApi"/>: error statuses, rate limits with <c>Retry-After</c>, latency,
/// truncated bodies and connections reset mid-body. Queued faults apply to the next responses in order, before
/// authentication and routing. Thread-safe.
/// </summary>
public sealed class FakeFaults
{
    private readonly object _gate = new();
    private readonly Queue<FakeFault> _queue = new();
    private Random? _random;
    private double _failureRate;
    private int _failureStatus = 503;
    private TimeSpan _latency;

    /// <summary>
    /// A delay before every response, waited on the API's <see cref="FakeUsageApiOptions.TimeProvider"/> (so a fake
    /// clock must be advanced for it to pass). Default zero.
    /// </summary>
    public TimeSpan Latency
    {
        get { lock (_gate) { return _latency; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate)
            { _latency = value; }
        }
    }

    /// <summary>Only requests whose path and query match this test get queued or random faults (all requests when null).</summary>
    public Func<FakeRecordedRequest, bool>? AppliesTo { get; set; }

    /// <summary>The number of queued faults not used yet.</summary>
    public int Pending { get { lock (_gate) { return _queue.Count; } } }

    /// <summary>Answers the next <paramref name="count"/> requests with an error status (and error body).</summary>
    /// <param name="count">How many responses.</param>
    /// <param name="statusCode">The status, 400 to 599 (default 503).</param>
    /// <param name="retryAfter">A <c>Retry-After</c> header (whole seconds), or none.</param>
    public void FailNext(int count = 1, int statusCode = 503, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        Enqueue(count, new FakeFault(FakeFaultKind.Status, statusCode, retryAfter, 0, TimeSpan.Zero));
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <c>429 Too Many Requests</c> and a <c>Retry-After</c> header.</summary>
    /// <param name="count">How many responses.</param>
    /// <param name="retryAfter">The wait asked for (whole seconds; default 1 s).</param>
    public void RateLimitNext(int count = 1, TimeSpan? retryAfter = null)
        => Enqueue(count, new FakeFault(FakeFaultKind.Status, 429, retryAfter ?? TimeSpan.FromSeconds(1), 0, TimeSpan.Zero));

    /// <summary>Sends the next <paramref name="count"/> successful bodies cut after <paramref name="keepBytes"/> bytes (the JSON is incomplete; the length header matches the cut body).</summary>
    /// <param name="count">How many responses.</param>
    /// <param name="keepBytes">Bytes kept.</param>
    public void TruncateNext(int count = 1, int keepBytes = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepBytes);
        Enqueue(count, new FakeFault(FakeFaultKind.Truncate, 200, null, keepBytes, TimeSpan.Zero));
    }

    /// <summary>Sends the next <paramref name="count"/> successful bodies whose stream throws an <see cref="IOException"/> (connection reset) after <paramref name="afterBytes"/> bytes.</summary>
    /// <param name="count">How many responses.</param>
    /// <param name="afterBytes">Bytes delivered before the reset.</param>
    public void ResetNext(int count = 1, int afterBytes = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterBytes);
        Enqueue(count, new FakeFault(FakeFaultKind.Reset, 200, null, afterBytes, TimeSpan.Zero));
    }

    /// <summary>Delays the next <paramref name="count"/> responses by <paramref name="delay"/> (on the API's clock), on top of <see cref="Latency"/>.</summary>
    /// <param name="count">How many responses.</param>
    /// <param name="delay">The delay.</param>
    public void DelayNext(int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Enqueue(count, new FakeFault(FakeFaultKind.Delay, 200, null, 0, delay));
    }

    /// <summary>Fails each request with probability <paramref name="probability"/>, drawn from a <see cref="Random"/> seeded with <paramref name="seed"/> (deterministic for a given order of requests). 0 turns it off.</summary>
    /// <param name="probability">From 0 to 1.</param>
    /// <param name="statusCode">The status of a failure (default 503).</param>
    /// <param name="seed">The seed.</param>
    public void SetFailureRate(double probability, int statusCode = 503, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        lock (_gate)
        {
            _failureRate = probability;
            _failureStatus = statusCode;
            _random = new Random(seed);
        }
    }

    /// <summary>Removes every queued fault, the failure rate and the latency.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _failureRate = 0;
            _random = null;
            _latency = TimeSpan.Zero;
        }
    }

    private void Enqueue(int count, FakeFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _queue.Enqueue(fault);
            }
        }
    }

    /// <summary>Takes the fault for the next request, if any: a queued one first, then a random failure.</summary>
    internal FakeFault? Next(FakeRecordedRequest request)
    {
        if (AppliesTo is { } filter && !filter(request))
        {
            return null;
        }
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return _queue.Dequeue();
            }
            if (_random is not null && _failureRate > 0 && _random.NextDouble() < _failureRate)
            {
                return new FakeFault(FakeFaultKind.Status, _failureStatus, null, 0, TimeSpan.Zero);
            }
        }
        return null;
    }
}

internal enum FakeFaultKind
{
    Status,
    Truncate,
    Reset,
    Delay,
}

internal sealed record FakeFault(FakeFaultKind Kind, int Status, TimeSpan? RetryAfter, int Bytes, TimeSpan Delay);
