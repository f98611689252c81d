namespace UsageSdk.Testing;

/// <summary>The error body shapes the Usage API is known to send.</summary>
public enum FakeErrorShape
{
    /// <summary>A <c>text/plain</c> body (for example <c>Project not found.</c>).</summary>
    Text = 0,

    /// <summary>JSON <c>{"err_code": …, "err_msg": …, "request_id": …}</c>.</summary>
    Legacy = 1,

    /// <summary>JSON <c>{"category": …, "message": …, "details": …, "request_id": …}</c>.</summary>
    Modern = 2,
}
