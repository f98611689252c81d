using System.Globalization;

namespace UsageSdk.Internal;

/// <summary>
/// A try that exceeded <see cref="UsageRetryOptions.TryTimeout"/>: thrown inside the retry handler while the headers are
/// awaited, and by the client while the body is read (within what is left of the same try).
/// </summary>
internal sealed class TryTimeoutException(TimeSpan timeout, bool body = false) : TimeoutException(body
    ? string.Create(CultureInfo.InvariantCulture, $"The response body did not arrive within the TryTimeout of {timeout.TotalSeconds:0.###} s.")
    : string.Create(CultureInfo.InvariantCulture, $"The try did not answer within {timeout.TotalSeconds:0.###} s."));
