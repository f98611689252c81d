namespace UsageSdk;

/// <summary>
/// The Console's log states. The API has no such field; the client derives it as each item is read:
/// <list type="bullet">
/// <item><see cref="Error"/> when the status code (<see cref="UsageRequest.EffectiveCode"/>) is 400 or more, or the response has a message;</item>
/// <item><see cref="Success"/> when the code is absent or below 400 and the response has details or a completion time;</item>
/// <item>otherwise (response <c>null</c> or <c>{}</c>): <see cref="Pending"/> while younger than
/// <see cref="RequestLogStateOptions.PendingFor"/>, <see cref="Unknown"/> until <see cref="RequestLogStateOptions.LostAfter"/>,
/// then <see cref="Lost"/> (not charged).</item>
/// </list>
/// </summary>
public enum RequestLogState
{
    /// <summary>The response is not recorded yet.</summary>
    Pending = 0,
    /// <summary>The outcome is not confirmed yet.</summary>
    Unknown = 1,
    /// <summary>The outcome was never logged; not charged.</summary>
    Lost = 2,
    /// <summary>The request failed.</summary>
    Error = 3,
    /// <summary>The request succeeded.</summary>
    Success = 4,
}
