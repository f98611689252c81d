using System.Runtime.CompilerServices;
namespace UsageSdk;

/// <summary>The ages that turn a request without a recorded response into <see cref="RequestLogState.Unknown"/> and <see cref="RequestLogState.Lost"/>.</summary>
public sealed class RequestLogStateOptions
{
    /// <summary>How long a request without a response is <see cref="RequestLogState.Pending"/> (default 15 minutes).</summary>
    public TimeSpan PendingFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The age from which a request without a response is <see cref="RequestLogState.Lost"/> (default 24 hours).</summary>
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Returns a copy.</summary>
    public RequestLogStateOptions Clone() => (RequestLogStateOptions)MemberwiseClone();

    /// <summary>Derives the state of a request log at a given time (the rule of <see cref="RequestLogState"/>).</summary>
    /// <param name="request">The request log.</param>
    /// <param name="now">The current time.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RequestLogState Derive(UsageRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = request.EffectiveCode;
        var response = request.Response;
        if (code >= 400 || !string.IsNullOrEmpty(response?.Message))
        {
            return RequestLogState.Error;
        }
        if (response is not null && (response.Details is not null || response.Completed is not null))
        {
            return RequestLogState.Success;
        }
        var age = now - request.Created;
        return age < PendingFor ? RequestLogState.Pending : age < LostAfter ? RequestLogState.Unknown : RequestLogState.Lost;
    }
}
