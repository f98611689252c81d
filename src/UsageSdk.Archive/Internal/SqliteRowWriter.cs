using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
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
    /// <summary>The insert, by position: ?1 the project, ?2–?23 the row, ?24 the sync time (first and last synced), ?25 the request key.</summary>
    private const string InsertSql =
        "INSERT INTO usage_requests (project_id, request_id, created, api_key_id, accessor, path, method, endpoint, deployment, models, tags, features, " +
        "duration, total_audio, channels, streams, usd, tokens_in, tokens_out, tts_characters, code, state, raw, first_synced, last_synced, request_key) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?24, ?25);";

    /// <summary>The update of a row the project already has (?26 its rowid): every column but the ids, the key and first_synced.</summary>
    private const string UpdateSql =
        "UPDATE usage_requests SET created = ?3, api_key_id = ?4, accessor = ?5, path = ?6, method = ?7, endpoint = ?8, deployment = ?9, models = ?10, " +
        "tags = ?11, features = ?12, duration = ?13, total_audio = ?14, channels = ?15, streams = ?16, usd = ?17, tokens_in = ?18, tokens_out = ?19, " +
        "tts_characters = ?20, code = ?21, state = ?22, raw = ?23, last_synced = ?24 WHERE rowid = ?26;";

    /// <summary>The row of a request id in the project, found through the key's index (?25 the key, ?1 the project, ?2 the request id).</summary>
    private const string FindSql = "SELECT rowid FROM usage_requests WHERE request_key = ?25 AND project_id = ?1 AND request_id = ?2;";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _update;
    private readonly sqlite3_stmt _find;
    private readonly string _projectId;
    private sqlite3_stmt _stmt;
    private readonly ArrayBufferWriter<byte> _raw = new(4096);
    private readonly Utf8JsonWriter _rawWriter;
    private readonly ArrayBufferWriter<byte> _array = new(256);
    private readonly Utf8JsonWriter _arrayWriter;
    private byte[] _text = new byte[256];

    public SqliteRowWriter(SqliteConnection connection, string projectId, string syncedAt)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _projectId = projectId;
        Check(raw.sqlite3_prepare_v2(_db, InsertSql, out _insert));
        Check(raw.sqlite3_prepare_v2(_db, UpdateSql, out _update));
        Check(raw.sqlite3_prepare_v2(_db, FindSql, out _find));
        _rawWriter = new Utf8JsonWriter(_raw); // the serializer's own defaults: the same text as UsageJson.Serialize
        _arrayWriter = new Utf8JsonWriter(_array, ArchiveValues.Compact);
        _stmt = _find;
        Text(1, projectId);
        _stmt = _insert;
        Text(1, projectId);
        Text(24, syncedAt);
        _stmt = _update;
        Text(24, syncedAt);
    }

    /// <summary>
    /// A row's <c>request_key</c>: XXH3 (64 bits, seed 0) of the project id's UTF-8, a zero byte and the request id's
    /// UTF-8, as a signed integer. Archives store it, so it must never change. Two different ids may share a key: the
    /// writer and the store's request-id query also compare the ids.
    /// </summary>
    public static long RequestKey(string projectId, string requestId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(projectId.Length + requestId.Length) + 1;
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> bytes = rented ?? stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(projectId, bytes);
        bytes[n++] = 0;
        n += Encoding.UTF8.GetBytes(requestId, bytes[n..]);
        var key = unchecked((long)XxHash3.HashToUInt64(bytes[..n]));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return key;
    }

    /// <summary>Inserts the row, or updates it in place when the project already has the request id.</summary>
    public void Write(UsageRequest request)
    {
        var row = new RequestRow(request);
        var key = RequestKey(_projectId, row.RequestId);
        _stmt = _find;
        Check(raw.sqlite3_bind_int64(_stmt, 25, key));
        Text(2, row.RequestId);
        var found = raw.sqlite3_step(_stmt);
        long rowId = found == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_stmt, 0) : 0;
        raw.sqlite3_reset(_stmt);
        if (found is not (raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            Check(found);
        }
        if (found == raw.SQLITE_ROW)
        {
            _stmt = _update;
            Check(raw.sqlite3_bind_int64(_stmt, 26, rowId));
        }
        else
        {
            _stmt = _insert;
            Check(raw.sqlite3_bind_int64(_stmt, 25, key));
            Text(2, row.RequestId);
        }
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
        _insert.Dispose();
        _update.Dispose();
        _find.Dispose();
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
