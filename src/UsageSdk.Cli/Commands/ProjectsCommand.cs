using System.CommandLine;
using System.Text.Json;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary><c>usage projects</c>: the projects the key can read (<c>/v1/projects</c>).</summary>
internal static class ProjectsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("projects", "The projects the API key can read: their ids (for --project) and names.");
        host.Examples(command,
            "usage projects --demo",
            "usage projects --demo --format csv");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var projects = await run.Client.GetProjectsAsync(run.CancellationToken).ConfigureAwait(false);
            await using var output = run.OpenOutput();
            await using var writer = new RecordWriter<UsageProject>(output, new RecordSchema<UsageProject>
            {
                Table = [new("Project ID (for --project)", p => p.ProjectId), new("Name", p => p.Name)],
                Csv = [new("project_id", p => p.ProjectId), new("name", p => p.Name)],
                Json = (w, p) => JsonSerializer.Serialize(w, p, UsageJson.UsageProject),
            });
            foreach (var p in projects)
            {
                await writer.WriteAsync(p).ConfigureAwait(false);
            }
            await writer.CompleteAsync(footer: [$"{projects.Count} project(s)"], emptyMessage: "The key can read no project.").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>The projects of --all-projects: every project the key can read, in the API's order.</summary>
    internal static async Task<IReadOnlyList<UsageProject>> AllAsync(CliRun run)
    {
        var projects = await run.Client.GetProjectsAsync(run.CancellationToken).ConfigureAwait(false);
        var usable = projects.Where(p => !string.IsNullOrWhiteSpace(p.ProjectId)).ToList();
        return usable.Count > 0 ? usable : throw new CliFailureException("--all-projects: the key can read no project (GET /v1/projects listed none).");
    }

    /// <summary>How a project is named in headings: its name and id, or the id alone.</summary>
    internal static string Label(UsageProject p) => string.IsNullOrWhiteSpace(p.Name) ? p.ProjectId! : $"{p.Name} ({p.ProjectId})";
}
