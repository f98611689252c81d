using Microsoft.Extensions.Options;

namespace UsageSdk.Internal;

/// <summary>Validates one registration's options with <see cref="OptionsValidation.Validate"/>; each message names the setting and the registration.</summary>
internal sealed class UsageClientOptionsValidator(UsageClientRegistration registration) : IValidateOptions<UsageClientOptions>
{
    public ValidateOptionsResult Validate(string? name, UsageClientOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, registration.Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }
        var errors = OptionsValidation.Validate(options);
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }
        var where = registration.Describe();
        return ValidateOptionsResult.Fail(errors.Select(e => $"{where}: {e}"));
    }
}
