using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace UsageSdk.Testing;

// The cost half of the API: projects, keys, models, billing breakdown and fields, balances. Every figure is derived
// from the project's request logs, so the fake's billing and its logs always agree.
public sealed partial class FakeUsageApi
{
    private static readonly string[] BillingGroupings = ["accessor", "deployment", "line_item", "tags"];
    private static readonly string[] BillingDeployments = ["hosted", "beta", "self-hosted", "dedicated"];

    /// <summary>
    /// The billing line item the fake files a request under: <c>{method}::{model}</c>, the shape of the API's line items
    /// (<c>streaming::nova-3</c>). The method is <c>response.details.method</c>; the model is the <c>model</c> the request
    /// asked for in its config (the speech-to-text model of a transcription, the voice of a speak request, the agent of
    /// a voice-agent session), else the name of the first model in <c>response.details.models</c> (text intelligence),
    /// else that id as it is. Null for a request without details (failed, pending, lost), which is not billed.
    /// </summary>
    /// <param name="request">A request log.</param>
    /// <returns>The line item id, for example <c>sync::nova-3</c>, <c>sync::aura-2-thalia-en</c>, <c>streaming::agent-gpt-4o-mini</c>, <c>sync::text-intelligence</c>.</returns>
    public static string? LineItemOf(UsageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var d = request.Response?.Details;
        if (d is null)
        {
            return null;
        }
        var model = d.GetConfigString("model");
        if (string.IsNullOrWhiteSpace(model) && d.Models.Count > 0)
        {
            var id = d.Models[0];
            model = FakeDataGenerator.Models.FirstOrDefault(m => string.Equals(m.ModelId, id, StringComparison.OrdinalIgnoreCase))?.Name ?? id;
        }
        return $"{d.Method?.ToString() ?? "sync"}::{model ?? "unknown"}";
    }

    /// <summary>Requests that are billed: those with <c>response.details</c> and a <c>usd</c> (contract projects' logs carry none).</summary>
    private static IEnumerable<UsageRequest> Billed(ProjectData project)
        => project.Requests.Where(r => r.Response?.Details?.Usd is not null);

    // ------------------------------------------------------------------ /v1/projects, /v1/projects/{id}

    private byte[] WriteProjects()
    {
        List<FakeProject> projects;
        lock (_gate)
        {
            projects = _projects.Values.Select(p => p.Project).ToList();
        }
        return Write(w =>
        {
            w.WriteStartArray("projects");
            foreach (var p in projects)
            {
                w.WriteStartObject();
                w.WriteString("project_id", p.ProjectId);
                w.WriteString("name", p.Name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static byte[] WriteProject(ProjectData project) => Write(w =>
    {
        w.WriteString("project_id", project.Project.ProjectId);
        w.WriteBoolean("mip_opt_out", false);
        w.WriteString("name", project.Project.Name);
    });

    // ------------------------------------------------------------------ /keys

    private byte[] WriteKeys(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var status = Single(query, "status");
        if (status is not (null or "active" or "expired"))
        {
            throw BadRequest($"status must be active or expired; got '{status}'.");
        }
        var keys = status == "expired" ? [] : project.Project.ApiKeys;
        var company = new string(project.Project.Name.TakeWhile(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return Write(w =>
        {
            w.WriteStartArray("api_keys");
            for (var i = 0; i < keys.Count; i++)
            {
                var k = keys[i];
                w.WriteStartObject();
                w.WriteStartObject("member");
                w.WriteString("member_id", NameGuid("member:" + project.Project.ProjectId + ":" + (i % 2)));
                w.WriteString("email", (i % 2 == 0 ? "platform@" : "data@") + (company.Length == 0 ? "example" : company) + ".example");
                w.WriteEndObject();
                w.WriteStartObject("api_key");
                w.WriteString("api_key_id", k.ApiKeyId);
                w.WriteString("comment", k.Name);
                w.WriteStartArray("scopes");
                w.WriteStringValue(i == 0 ? "admin" : "member");
                w.WriteEndArray();
                w.WriteString("created", KeyCreated(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>When the fake says key <paramref name="index"/> was made: a week apart, before the first generated day.</summary>
    private DateTimeOffset KeyCreated(int index) => _dataStart.AddDays(-7 * (index + 1)).AddHours(9).AddMinutes(13 * index).AddTicks(1_234_560 + (index * 10));

    // ------------------------------------------------------------------ /models

    /// <summary>Older versions listed with <c>include_outdated=true</c> (no generated request uses them).</summary>
    private static readonly (string Name, string Version)[] OutdatedModels = [("nova-3", "2025-02-12.18810"), ("nova-2", "2023-09-12.20611")];

    private static byte[] WriteModels(List<KeyValuePair<string, string>> query)
    {
        var raw = Single(query, "include_outdated");
        var outdated = raw switch
        {
            null or "false" => false,
            "true" => true,
            _ => throw BadRequest($"include_outdated must be true or false; got '{raw}'."),
        };
        return Write(w =>
        {
            w.WriteStartArray("stt");
            foreach (var m in FakeDataGenerator.Models.Where(m => m.Endpoint == Endpoint.Listen))
            {
                WriteSttModel(w, m.Name, m.Version, m.ModelId, m.Language);
                if (outdated)
                {
                    foreach (var (name, version) in OutdatedModels.Where(o => o.Name == m.Name))
                    {
                        WriteSttModel(w, name, version, NameGuid("model:" + name + ":" + version), m.Language);
                    }
                }
            }
            w.WriteEndArray();
            w.WriteStartArray("tts");
            foreach (var m in FakeDataGenerator.Models.Where(m => m.Endpoint == Endpoint.Speak))
            {
                w.WriteStartObject();
                w.WriteString("name", VoiceName(m.Name));
                w.WriteString("canonical_name", m.Name);
                w.WriteString("architecture", "aura-2");
                WriteList(w, "languages", [m.Language, m.Language + "-US"]);
                w.WriteString("version", m.Version);
                w.WriteString("uuid", m.ModelId);
                w.WriteStartObject("metadata");
                w.WriteString("accent", "American");
                w.WriteString("age", "Adult");
                WriteList(w, "tags", VoiceName(m.Name) == "orion" ? ["masculine", "calm"] : ["feminine", "engaging"]);
                WriteList(w, "use_cases", ["IVR", "customer service"]);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static void WriteSttModel(Utf8JsonWriter w, string name, string version, string uuid, string language)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("canonical_name", name);
        w.WriteString("architecture", name.StartsWith("whisper", StringComparison.Ordinal) ? "whisper" : "base");
        WriteList(w, "languages", language == "multi" ? ["multi"] : [language, language + "-us"]);
        w.WriteString("version", version);
        w.WriteString("uuid", uuid);
        w.WriteBoolean("batch", true);
        w.WriteBoolean("streaming", !name.StartsWith("whisper", StringComparison.Ordinal));
        w.WriteBoolean("formatted_output", true);
        w.WriteEndObject();
    }

    /// <summary><c>aura-2-thalia-en</c> → <c>thalia</c>, the voice's own name as the API lists it.</summary>
    private static string VoiceName(string canonical)
    {
        var parts = canonical.Split('-');
        return parts.Length >= 4 ? parts[2] : canonical;
    }

    // ------------------------------------------------------------------ /billing/breakdown, /billing/fields

    private sealed record BillingFilter(DateOnly Start, DateOnly End, string? Accessor, string? Deployment, string? Tag, string? LineItem);

    private BillingFilter ReadBillingFilter(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var start = ReadDate(query, "start");
        var end = ReadDate(query, "end") ?? today;
        start ??= project.Requests.Length == 0 ? end : DateOnly.FromDateTime(project.Requests[^1].Created.UtcDateTime);
        if (start > end)
        {
            throw BadRequest($"start ({start:yyyy-MM-dd}) is after end ({end:yyyy-MM-dd}).");
        }
        var deployment = Single(query, "deployment");
        if (deployment is not null)
        {
            CheckEnum([deployment], "deployment", BillingDeployments);
        }
        return new BillingFilter(start.Value, end, Single(query, "accessor"), deployment, Single(query, "tag"), Single(query, "line_item"));
    }

    private static IEnumerable<UsageRequest> Billing(ProjectData project, BillingFilter f) => Billed(project).Where(r =>
    {
        var day = DateOnly.FromDateTime(r.Created.UtcDateTime);
        return day >= f.Start && day <= f.End
            && (f.Accessor is null || string.Equals(r.Accessor, f.Accessor, StringComparison.OrdinalIgnoreCase))
            && (f.Deployment is null || string.Equals(r.Deployment?.ToString(), f.Deployment, StringComparison.OrdinalIgnoreCase))
            && (f.Tag is null || r.Response!.Details!.Tags.Contains(f.Tag, StringComparer.Ordinal))
            && (f.LineItem is null || string.Equals(LineItemOf(r), f.LineItem, StringComparison.Ordinal));
    });

    private byte[] WriteBillingBreakdown(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var groupings = new List<string>();
        foreach (var g in Values(query, "grouping"))
        {
            // One value per key, as the spec's form/explode array; a comma list is not split.
            if (!BillingGroupings.Contains(g))
            {
                throw BadRequest($"grouping must be one of {string.Join(", ", BillingGroupings)}; got '{g}'.");
            }
            if (!groupings.Contains(g))
            {
                groupings.Add(g);
            }
        }
        var f = ReadBillingFilter(project, query);
        var rows = new SortedDictionary<(DateOnly Day, string Key), (decimal Dollars, UsageRequest? Sample)>(Comparer<(DateOnly Day, string Key)>.Create((a, b) =>
        {
            var c = a.Day.CompareTo(b.Day);
            return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
        }));
        if (groupings.Count == 0)
        {
            for (var d = f.Start; d <= f.End; d = d.AddDays(1))
            {
                rows[(d, "")] = (0m, null);
            }
        }
        foreach (var r in Billing(project, f))
        {
            var key = (DateOnly.FromDateTime(r.Created.UtcDateTime), BillingKey(r, groupings));
            var row = rows.TryGetValue(key, out var existing) ? existing : (0m, r);
            rows[key] = (row.Item1 + r.Response!.Details!.Usd!.Value, row.Item2 ?? r);
        }
        return Write(w =>
        {
            w.WriteString("start", Day(f.Start));
            w.WriteString("end", Day(f.End));
            w.WriteStartObject("resolution");
            w.WriteString("units", "day");
            w.WriteNumber("amount", 1);
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (var ((day, _), (dollars, sample)) in rows)
            {
                w.WriteStartObject();
                w.WriteNumber("dollars", dollars);
                w.WriteStartObject("grouping");
                w.WriteString("start", Day(day));
                w.WriteString("end", Day(day));
                WriteStringOrNull(w, "accessor", groupings.Contains("accessor") ? sample?.Accessor : null);
                WriteStringOrNull(w, "deployment", groupings.Contains("deployment") ? sample?.Deployment?.ToString() : null);
                WriteStringOrNull(w, "line_item", groupings.Contains("line_item") && sample is not null ? LineItemOf(sample) : null);
                WriteListOrNull(w, "tags", groupings.Contains("tags") ? sample?.Response?.Details?.Tags ?? [] : null);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static string BillingKey(UsageRequest r, List<string> groupings)
    {
        if (groupings.Count == 0)
        {
            return "";
        }
        var parts = new List<string>(groupings.Count);
        foreach (var g in BillingGroupings)
        {
            if (groupings.Contains(g))
            {
                parts.Add(g switch
                {
                    "accessor" => r.Accessor ?? "",
                    "deployment" => r.Deployment?.ToString() ?? "",
                    "line_item" => LineItemOf(r) ?? "",
                    _ => string.Join('\u001f', r.Response!.Details!.Tags),
                });
            }
        }
        return string.Join('\u001e', parts);
    }

    private byte[] WriteBillingFields(ProjectData project, List<KeyValuePair<string, string>> query)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var start = ReadDate(query, "start");
        var end = ReadDate(query, "end") ?? today;
        if (start > end)
        {
            throw BadRequest($"start ({start:yyyy-MM-dd}) is after end ({end:yyyy-MM-dd}).");
        }
        var billed = Billed(project)
            .Where(r => DateOnly.FromDateTime(r.Created.UtcDateTime) is var day && day <= end && (start is null || day >= start))
            .ToList();
        return Write(w =>
        {
            WriteList(w, "accessors", billed.Select(r => r.Accessor).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            WriteList(w, "deployments", billed.Select(r => r.Deployment?.ToString()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            WriteList(w, "tags", billed.SelectMany(r => r.Response!.Details!.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            w.WriteStartObject("line_items");
            foreach (var item in billed.Select(LineItemOf).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                w.WriteString(item, LineItemDescription(item));
            }
            w.WriteEndObject();
        });
    }

    /// <summary><c>streaming::nova-3</c> → <c>Nova-3 (Stream)</c>, in the style of the API's descriptions.</summary>
    private static string LineItemDescription(string lineItem)
    {
        var cut = lineItem.IndexOf("::", StringComparison.Ordinal);
        var method = cut < 0 ? "" : lineItem[..cut];
        var model = cut < 0 ? lineItem : lineItem[(cut + 2)..];
        var label = method switch
        {
            "streaming" => "Stream",
            "async" => "Async",
            "sync" => "Sync",
            _ => method,
        };
        var name = model.Length == 0 ? model : char.ToUpperInvariant(model[0]) + model[1..];
        return label.Length == 0 ? name : $"{name} ({label})";
    }

    // ------------------------------------------------------------------ /balances

    /// <summary>
    /// The project's one balance. A project with cost gets a promotional credit in <c>usd</c>: the smallest multiple of
    /// $100 at or above what its logs cost, plus $200; the balance is that credit less the cost (so $200 to $300 is
    /// left). A contract project is billed in hours: 500 hours above the next multiple of 1,000 hours of audio its logs
    /// used, less those hours.
    /// </summary>
    private static (string Id, decimal Amount, string Units, string PurchaseOrderId) BalanceOf(ProjectData project)
    {
        var id = NameGuid("balance:" + project.Project.ProjectId);
        var order = NameGuid("order:" + project.Project.ProjectId);
        if (project.Project.IsContract)
        {
            var hours = (decimal)project.Requests.Sum(r => r.Response?.Details?.Duration ?? 0) / 3600m;
            var granted = (Math.Ceiling(hours / 1000m) * 1000m) + 500m;
            return (id, Math.Round(granted - hours, 6), "hour", order);
        }
        var cost = Billed(project).Sum(r => r.Response!.Details!.Usd!.Value);
        var credit = (Math.Ceiling(cost / 100m) * 100m) + 200m;
        return (id, credit - cost, "usd", order);
    }

    private static byte[] WriteBalances(ProjectData project) => Write(w =>
    {
        w.WriteStartArray("balances");
        w.WriteStartObject();
        WriteBalanceMembers(w, BalanceOf(project));
        w.WriteEndObject();
        w.WriteEndArray();
    });

    private static byte[] WriteBalance(ProjectData project, string balanceId)
    {
        var balance = BalanceOf(project);
        if (!string.Equals(balance.Id, balanceId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiError(404, "BALANCE_NOT_FOUND", "NOT_FOUND", "Balance not found.", $"No balance '{balanceId}' in this project.");
        }
        return Write(w => WriteBalanceMembers(w, balance));
    }

    private static void WriteBalanceMembers(Utf8JsonWriter w, (string Id, decimal Amount, string Units, string PurchaseOrderId) b)
    {
        w.WriteString("balance_id", b.Id);
        w.WriteNumber("amount", b.Amount);
        w.WriteString("units", b.Units);
        w.WriteString("purchase_order_id", b.PurchaseOrderId);
    }

    /// <summary>A stable UUID made from a name (the first 16 bytes of its SHA-256, as a version-4 layout), independent of the seed.</summary>
    private static string NameGuid(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var b = hash[..16];
        b[7] = (byte)((b[7] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b).ToString("D");
    }
}
