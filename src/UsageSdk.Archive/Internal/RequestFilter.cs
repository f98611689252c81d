using System.Text;

namespace UsageSdk.Archive.Internal;

/// <summary>The WHERE clause of an archive query, with <c>@name</c> parameters (both SQLite and Npgsql read them).</summary>
internal static class RequestFilter
{
    public static string Where(RequestsQuery q, Func<DateTimeOffset, object> time, List<KeyValuePair<string, object>> parameters, string projectId)
    {
        var sql = new StringBuilder("project_id = @project");
        parameters.Add(new("project", projectId));
        if (q.Start is { } start)
        {
            sql.Append(" AND created >= @start");
            parameters.Add(new("start", time(start)));
        }
        if (q.End is { } end)
        {
            sql.Append(" AND created <= @end");
            parameters.Add(new("end", time(end)));
        }
        if (q.Status is { } status)
        {
            if (status == RequestStatus.Succeeded)
            {
                sql.Append(" AND code < 300");
            }
            else if (status == RequestStatus.Failed)
            {
                sql.Append(" AND code >= 400");
            }
            else
            {
                throw new ArgumentException($"The archive knows the statuses succeeded and failed, not '{status}'.", "query");
            }
        }
        if (q.Accessors.Count > 1)
        {
            // Several accessors (RequestsQuery.WithAccessors): any of them, as the client's merged listing.
            sql.Append(" AND accessor IN (").AppendJoin(", ", q.Accessors.Select((_, i) => "@accessor" + i)).Append(')');
            for (var i = 0; i < q.Accessors.Count; i++)
            {
                parameters.Add(new("accessor" + i, q.Accessors[i]));
            }
        }
        else
        {
            Text(sql, parameters, "accessor", q.Accessor, lower: false);
        }
        Text(sql, parameters, "request_id", q.RequestId, lower: false);
        Text(sql, parameters, "deployment", q.Deployment?.ToString(), lower: true);
        Text(sql, parameters, "endpoint", q.Endpoint?.ToString(), lower: true);
        Text(sql, parameters, "method", q.Method?.ToString(), lower: true);
        return sql.ToString();
    }

    private static void Text(StringBuilder sql, List<KeyValuePair<string, object>> parameters, string column, string? value, bool lower)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        sql.Append(lower ? $" AND lower({column}) = @{column}" : $" AND {column} = @{column}");
        parameters.Add(new(column, lower ? value.ToLowerInvariant() : value));
    }
}
