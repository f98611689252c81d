using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace UsageSdk.Archive.Internal;

/// <summary>
/// Upserts request rows into <c>usage_requests</c> through SQLite's own API (SQLitePCLRaw, on the handle of an open
/// Microsoft.Data.Sqlite connection, inside its transaction): one prepared statement, parameters bound by position as
/// UTF-8, and the wire JSON serialized straight into a reused buffer. Through <c>SqliteCommand</c>, every row looked up
/// its 24 parameters by name, made a new UTF-8 array per string, and made the JSON a string first.
/// </summary>
internal sealed class SqliteRowWriter : IDisposable
{
    /// <summary>The upsert, by position: ?1 the project, ?2–?23 the row, ?24 the sync time (first and last synced).</summary>
    private const string Sql =
        "INSERT INTO usage_requests (project_id, request_id, created, api_key_id, accessor, path, method, endpoint, deployment, models, tags, features, " +
        "duration, total_audio, channels, streams, usd, tokens_in, tokens_out, tts_characters, code, state, raw, first_synced, last_synced) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?24)" +
        " ON CONFLICT (project_id, request_id) DO UPDATE SET created = excluded.created, api_key_id = excluded.api_key_id, accessor = excluded.accessor, " +
        "path = excluded.path, method = excluded.method, endpoint = excluded.endpoint, deployment = excluded.deployment, models = excluded.models, " +
        "tags = excluded.tags, features = excluded.features, duration = excluded.duration, total_audio = excluded.total_audio, channels = excluded.channels, " +
        "streams = excluded.streams, usd = excluded.usd, tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out, " +
        "tts_characters = excluded.tts_characters, code = excluded.code, state = excluded.state, raw = excluded.raw, last_synced = excluded.last_synced;";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly ArrayBufferWriter<byte> _raw = new(4096);
    private readonly Utf8JsonWriter _rawWriter;
    private readonly ArrayBufferWriter<byte> _array = new(256);
    private readonly Utf8JsonWriter _arrayWriter;
    private byte[] _text = new byte[256];

    public SqliteRowWriter(SqliteConnection connection, string projectId, string syncedAt)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _stmt));
        _rawWriter = new Utf8JsonWriter(_raw); // the serializer's own defaults: the same text as UsageJson.Serialize
        _arrayWriter = new Utf8JsonWriter(_array, ArchiveValues.Compact);
        Text(1, projectId);
        Text(24, syncedAt);
    }

    /// <summary>Inserts the row, or updates it in place when the project already has the request id.</summary>
    public void Write(UsageRequest request)
    {
        var row = new RequestRow(request);
        Text(2, row.RequestId);
        Span<byte> time = stackalloc byte[32];
        row.Created.UtcDateTime.TryFormat(time, out var length, "O", CultureInfo.InvariantCulture); // as ArchiveValues.Time
        Bind(3, time[..length]);
        Text(4, row.ApiKeyId);
        Text(5, row.Accessor);
        Text(6, row.Path);
        Text(7, row.Method);
        Text(8, row.Endpoint);
        Text(9, row.Deployment);
        Bind(10, Array(row.Models), orNull: true);
        Bind(11, Array(row.Tags), orNull: true);
        Bind(12, Array(row.Features), orNull: true);
        Real(13, row.Duration);
        Real(14, row.TotalAudio);
        Integer(15, row.Channels);
        Integer(16, row.Streams);
        Real(17, row.Usd is { } usd ? (double)usd : null);
        Integer(18, row.TokensIn);
        Integer(19, row.TokensOut);
        Integer(20, row.TtsCharacters);
        Integer(21, row.Code);
        Text(22, row.State);
        _raw.ResetWrittenCount();
        _rawWriter.Reset();
        UsageJson.Serialize(_rawWriter, request);
        _rawWriter.Flush();
        Bind(23, _raw.WrittenSpan);
        var rc = raw.sqlite3_step(_stmt);
        raw.sqlite3_reset(_stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }
    }

    public void Dispose()
    {
        _stmt.Dispose();
        _rawWriter.Dispose();
        _arrayWriter.Dispose();
    }

    /// <summary>A JSON array of the values (valid until the next call), or empty when there are none.</summary>
    private ReadOnlySpan<byte> Array(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return default;
        }
        _array.ResetWrittenCount();
        _arrayWriter.Reset();
        ArchiveValues.WriteArray(_arrayWriter, values); // the text of ArchiveValues.JsonArray
        _arrayWriter.Flush();
        return _array.WrittenSpan;
    }

    private void Text(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_stmt, index));
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_text.Length < max)
        {
            _text = new byte[Math.Max(max, _text.Length * 2)];
        }
        Bind(index, _text.AsSpan(0, Encoding.UTF8.GetBytes(value, _text)));
    }

    // SQLitePCLRaw binds spans with SQLITE_TRANSIENT (SQLite copies the bytes), so the buffers are reused at once. An
    // empty span pins to a null pointer, which SQLite binds as NULL: a non-null empty string goes through the string
    // overload instead.
    private void Bind(int index, ReadOnlySpan<byte> utf8, bool orNull = false)
        => Check(!utf8.IsEmpty ? raw.sqlite3_bind_text(_stmt, index, utf8)
            : orNull ? raw.sqlite3_bind_null(_stmt, index)
            : raw.sqlite3_bind_text(_stmt, index, ""));

    private void Real(int index, double? value)
        => Check(value is { } v ? raw.sqlite3_bind_double(_stmt, index, v) : raw.sqlite3_bind_null(_stmt, index));

    private void Integer(int index, long? value)
        => Check(value is { } v ? raw.sqlite3_bind_int64(_stmt, index, v) : raw.sqlite3_bind_null(_stmt, index));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
