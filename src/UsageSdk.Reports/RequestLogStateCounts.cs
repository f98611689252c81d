namespace UsageSdk.Reports;

/// <summary>Requests per <see cref="RequestLogState"/>.</summary>
public sealed class RequestLogStateCounts
{
    internal RequestLogStateCounts(long pending, long unknown, long lost, long error, long success)
    {
        Pending = pending;
        Unknown = unknown;
        Lost = lost;
        Error = error;
        Success = success;
    }

    /// <summary>Requests whose response is not recorded yet.</summary>
    public long Pending { get; }

    /// <summary>Requests whose outcome is not confirmed yet.</summary>
    public long Unknown { get; }

    /// <summary>Requests whose outcome was never logged (not charged).</summary>
    public long Lost { get; }

    /// <summary>Failed requests.</summary>
    public long Error { get; }

    /// <summary>Successful requests.</summary>
    public long Success { get; }

    /// <summary>The count of one state.</summary>
    /// <param name="state">The state.</param>
    public long this[RequestLogState state] => state switch
    {
        RequestLogState.Pending => Pending,
        RequestLogState.Unknown => Unknown,
        RequestLogState.Lost => Lost,
        RequestLogState.Error => Error,
        RequestLogState.Success => Success,
        _ => 0,
    };

    /// <summary>The counts, for example <c>Success 10, Error 1, Pending 0, Unknown 0, Lost 0</c>.</summary>
    public override string ToString() => $"Success {Success}, Error {Error}, Pending {Pending}, Unknown {Unknown}, Lost {Lost}";
}
