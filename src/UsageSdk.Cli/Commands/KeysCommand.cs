using System.CommandLine;
using System.Text.Json;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary><c>usage keys</c>: the API keys of a project, or of every project (<c>/v1/projects/{id}/keys</c>). Never a secret.</summary>
internal static class KeysCommand
{
    public static Command Create(CliHost host)
    {
        var allProjects = new Option<bool>("--all-projects") { Description = "List the keys of every project the key can read, with a project column." };
        var command = new Command("keys", "The API keys of a project: their names (the key's comment), ids, scopes, creation time and owner. A key that is not an owner or admin sees only its member's keys. No secret is ever shown (the API does not send one).");
        command.Add(allProjects);
        host.Examples(command,
            "usage keys --demo",
            "usage keys --demo --all-projects --format csv");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var all = run.Get(allProjects);
            var projects = all ? await ProjectsCommand.AllAsync(run).ConfigureAwait(false) : null;
            await using var output = run.OpenOutput();
            var columns = new List<Column<(string Project, ProjectKey Key)>>();
            if (all)
            {
                columns.Add(new("Project", r => r.Project));
            }
            columns.AddRange(
            [
                new("Name", r => r.Key.Comment),
                new("Key ID", r => r.Key.ApiKeyId),
                new("Scopes", r => string.Join(", ", r.Key.Scopes)),
                new("Created", r => r.Key.Created is { } c ? Fmt.Time(c) : ""),
                new("Member", r => r.Key.MemberEmail ?? r.Key.MemberId),
            ]);
            await using var writer = new RecordWriter<(string Project, ProjectKey Key)>(output, new RecordSchema<(string Project, ProjectKey Key)>
            {
                Table = columns,
                Csv =
                [
                    .. all ? new Column<(string, ProjectKey)>[] { new("project_id", r => r.Item1) } : [],
                    new("api_key_id", r => r.Key.ApiKeyId),
                    new("comment", r => r.Key.Comment),
                    new("scopes", r => string.Join(";", r.Key.Scopes)),
                    new("created", r => Fmt.IsoTime(r.Key.Created)),
                    new("member_id", r => r.Key.MemberId),
                    new("member_email", r => r.Key.MemberEmail),
                ],
                Json = (w, r) => WriteKey(w, all ? r.Project : null, r.Key),
            });
            var count = 0;
            foreach (var projectId in projects?.Select(p => p.ProjectId!) ?? [run.ProjectId])
            {
                foreach (var key in await run.Client.GetKeysAsync(projectId, run.CancellationToken).ConfigureAwait(false))
                {
                    await writer.WriteAsync((projectId, key)).ConfigureAwait(false);
                    count++;
                }
            }
            await writer.CompleteAsync(footer: [$"{count} key(s){(all ? $" in {projects!.Count} project(s)" : "")}"], emptyMessage: "No API keys visible to this key.").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>The key in the wire's shape (<c>member</c>, <c>api_key</c>), with <c>project_id</c> first when listing several projects.</summary>
    private static void WriteKey(Utf8JsonWriter w, string? projectId, ProjectKey key)
    {
        if (projectId is null)
        {
            JsonSerializer.Serialize(w, key, UsageJson.ProjectKey);
            return;
        }
        var element = JsonSerializer.SerializeToElement(key, UsageJson.ProjectKey);
        w.WriteStartObject();
        w.WriteString("project_id", projectId);
        foreach (var p in element.EnumerateObject())
        {
            p.WriteTo(w);
        }
        w.WriteEndObject();
    }
}
