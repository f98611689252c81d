namespace UsageSdk.Internal;

/// <summary>
/// Per-call state that flows (AsyncLocal) from <see cref="UsageClient"/> into its handlers. <see cref="UsageClient"/>
/// starts a root per public call (or page); each send starts a child whose counts also add up in the root. A child's
/// <see cref="Attempts"/> is the retry budget of its call: <see cref="RetryHandler"/> retries statuses and network errors
/// and <see cref="CallPipeline"/> fetches a broken body again only while it is at most
/// <see cref="UsageRetryOptions.MaxRetries"/>, so a call makes MaxRetries + 1 tries at most.
/// </summary>
internal sealed class CallState
{
    private static readonly AsyncLocal<CallState?> CurrentState = new();

    public static CallState? Current => CurrentState.Value;

    public int Attempts;
    public int Retries;
    public string Operation = "";
    public string? ProjectId;
    public CallState? Root;

    /// <summary>Starts the state of one public call (or one page), independent of any outer one.</summary>
    public static CallState BeginCall(string operation, string projectId)
    {
        var s = new CallState { Operation = operation, ProjectId = projectId };
        CurrentState.Value = s;
        return s;
    }

    /// <summary>Starts the state of one send inside the current call: fresh counts, which also add up in the call's root.</summary>
    public static CallState Begin(string operation)
    {
        var parent = Current;
        var s = new CallState
        {
            Operation = operation.Length > 0 ? operation : parent?.Operation ?? "",
            ProjectId = parent?.ProjectId,
            Root = parent?.Root ?? parent,
        };
        CurrentState.Value = s;
        return s;
    }

    /// <summary>When the last try began (a <see cref="TimeProvider"/> timestamp) and its limit; null when no retry handler sets them.</summary>
    private (long Started, TimeSpan Limit)? _try;

    /// <summary>Notes the start of a try and its <see cref="UsageRetryOptions.TryTimeout"/> (by the retry handler).</summary>
    public void BeginTry(long timestamp, TimeSpan limit) => _try = (timestamp, limit);

    /// <summary>What is left of the last try's limit, for reading its body; infinite when no try limit applies.</summary>
    public TimeSpan TryTimeLeft(TimeProvider time)
        => _try is { } t && t.Limit != Timeout.InfiniteTimeSpan ? t.Limit - time.GetElapsedTime(t.Started) : Timeout.InfiniteTimeSpan;

    /// <summary>The last try's limit, for messages.</summary>
    public TimeSpan TryLimit => _try?.Limit ?? Timeout.InfiniteTimeSpan;

    /// <summary>Counts one try sent on the wire.</summary>
    public void AddAttempt()
    {
        Interlocked.Increment(ref Attempts);
        if (Root is { } root)
        {
            Interlocked.Increment(ref root.Attempts);
        }
    }

    /// <summary>Counts one retry.</summary>
    public void AddRetry()
    {
        Interlocked.Increment(ref Retries);
        if (Root is { } root)
        {
            Interlocked.Increment(ref root.Retries);
        }
    }
}
