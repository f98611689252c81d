using UsageSdk.Reports;

namespace UsageSdk.Worker;

/// <summary>
/// The names the metrics carry: key names (a key's <c>comment</c>, <c>GET /v1/projects/{id}/keys</c>) and model names
/// (<c>/usage/fields</c> of the metrics window, then <c>GET /v1/projects/{id}/models</c>) from the API, with the names
/// file's on top. A lookup the key may not make (401/403), or one that fails, leaves those ids unnamed: names are a
/// nicety and never stop a sync.
/// </summary>
internal static class WorkerNames
{
    /// <summary>Reads the names of a project's keys and models; <paramref name="file"/>'s names win.</summary>
    /// <param name="client">The client.</param>
    /// <param name="projectId">The project.</param>
    /// <param name="start">The first moment of the metrics window (the models used in it are named from /usage/fields).</param>
    /// <param name="end">The end of the metrics window.</param>
    /// <param name="file">The names file's names, or null.</param>
    /// <param name="failed">Called with what could not be read and the error's status (for a log line).</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    public static async Task<UsageNames> FetchAsync(UsageClient client, string projectId, DateTimeOffset start, DateTimeOffset end, UsageNames? file,
        Action<string, int> failed, CancellationToken cancellationToken)
    {
        var names = new UsageNames();
        try
        {
            // The models the window's requests used, outdated versions included, by the ids the logs carry.
            var fields = await client.GetFieldsAsync(projectId, DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(end.UtcDateTime), cancellationToken).ConfigureAwait(false);
            foreach (var m in fields.Models)
            {
                if (!string.IsNullOrEmpty(m.ModelId) && !string.IsNullOrEmpty(m.Name))
                {
                    names.Models[m.ModelId] = m.Name;
                }
            }
        }
        catch (UsageApiException e)
        {
            failed("model names (/usage/fields)", e.Status);
        }
        try
        {
            // The current models: an outdated version shares its name with the current one (see ReportCommand in the CLI).
            var models = await client.GetModelsAsync(projectId, includeOutdated: false, cancellationToken).ConfigureAwait(false);
            foreach (var m in models.Stt.Concat(models.Tts))
            {
                if (!string.IsNullOrEmpty(m.ModelId) && !string.IsNullOrEmpty(m.Name) && !names.Models.ContainsKey(m.ModelId))
                {
                    names.Models[m.ModelId] = m.Name;
                }
            }
        }
        catch (UsageApiException e)
        {
            failed("model names (/models)", e.Status);
        }
        try
        {
            foreach (var key in await client.GetKeysAsync(projectId, cancellationToken).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(key.ApiKeyId) && !string.IsNullOrWhiteSpace(key.Comment))
                {
                    names.Keys[key.ApiKeyId] = key.Comment;
                }
            }
        }
        catch (UsageApiException e)
        {
            failed("key names (/keys)", e.Status);
        }
        if (file is not null)
        {
            names.Add(file);
        }
        return names;
    }
}
