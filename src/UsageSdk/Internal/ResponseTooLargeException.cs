namespace UsageSdk.Internal;

internal sealed class ResponseTooLargeException(long max) : IOException($"The response body is larger than MaxResponseBytes ({max} bytes).");
