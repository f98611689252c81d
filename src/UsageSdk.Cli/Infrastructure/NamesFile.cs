using UsageSdk.Reports;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>
/// The <c>--names names.json</c> file: display names for API keys and models,
/// <c>{"keys": {"api_key_id or accessor": "name"}, "models": {"model uuid": "name"}}</c> (see <see cref="UsageNames"/>).
/// </summary>
internal static class NamesFile
{
    public const string OptionName = "--names";

    public const string Description = "A JSON file of display names: {\"keys\": {\"<api_key_id or accessor>\": \"name\"}, \"models\": {\"<model uuid>\": \"name\"}}. Its names win over those the API gives; ids without a name are shown as ids.";

    /// <summary>Reads the file; a missing or malformed file is a usage error that names it.</summary>
    public static UsageNames Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"{OptionName} '{path}': no such file.");
        }
        try
        {
            return UsageNames.Load(path);
        }
        catch (FormatException e)
        {
            throw new CliUsageException(OptionName + " " + e.Message);
        }
    }
}
