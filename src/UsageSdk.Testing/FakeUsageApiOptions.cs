namespace UsageSdk.Testing;

/// <summary>How a <see cref="FakeUsageApi"/> generates its data and answers errors.</summary>
public sealed class FakeUsageApiOptions
{
    /// <summary>The seed of the data generator; the same seed and clock give the same data (default 42).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// The clock: it fixes the end of the generated data, the <c>created</c> times of pending requests, the default
    /// <c>end</c> of queries and the latency of <see cref="FakeFaults.Latency"/> (default <see cref="TimeProvider.System"/>).
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Days of request logs generated, ending now (default 30). 0 generates no requests (add them with <see cref="FakeUsageApi.AddRequests"/>).</summary>
    public int Days { get; set; } = 30;

    /// <summary>The first generated day (UTC). When set it overrides <see cref="Days"/>: data runs from this day to now.</summary>
    public DateOnly? Start { get; set; }

    /// <summary>The average number of requests per day in the main project (default 120); the others get fewer. Traffic follows an hourly pattern.</summary>
    public int RequestsPerDay { get; set; } = 120;

    /// <summary>The shape of error bodies (default <see cref="FakeErrorShape.Legacy"/>).</summary>
    public FakeErrorShape ErrorShape { get; set; } = FakeErrorShape.Legacy;

    /// <summary>API keys accepted in <c>Authorization</c>; when null (the default) any <c>Token</c> or <c>Bearer</c> credential is accepted.</summary>
    public IReadOnlyCollection<string>? AcceptedKeys { get; set; }
}
