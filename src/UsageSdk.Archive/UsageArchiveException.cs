using Microsoft.Data.Sqlite;

namespace UsageSdk.Archive;

/// <summary>
/// The archive's database is in an expected bad condition (<see cref="Condition"/>): corrupt, full, read-only, locked, not
/// openable or failing I/O. The message names the condition and the file; <see cref="Exception.InnerException"/> is the
/// database's own error. A sync that throws it has kept every batch committed before; the next sync resumes after them.
/// </summary>
public sealed class UsageArchiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="condition">What is wrong.</param>
    /// <param name="database">The database: a file path, or a description without a password.</param>
    /// <param name="message">The message (it should name the condition and the database).</param>
    /// <param name="innerException">The database's own error.</param>
    public UsageArchiveException(ArchiveCondition condition, string database, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Condition = condition;
        Database = database;
    }

    /// <summary>What is wrong with the database.</summary>
    public ArchiveCondition Condition { get; }

    /// <summary>The database: the SQLite file's full path (or "(memory)").</summary>
    public string Database { get; }

    /// <summary>The condition of a SQLite error code (primary or extended), or null for an error that is not one of them.</summary>
    internal static ArchiveCondition? ConditionOf(int sqliteErrorCode) => (sqliteErrorCode & 0xFF) switch
    {
        11 or 26 => ArchiveCondition.Corrupt,
        13 => ArchiveCondition.Full,
        8 => ArchiveCondition.ReadOnly,
        5 or 6 => ArchiveCondition.Locked,
        14 => ArchiveCondition.CannotOpen,
        10 => ArchiveCondition.IOError,
        _ => null,
    };

    /// <summary>The exception for a SQLite error of one of the conditions, or null for any other error.</summary>
    internal static UsageArchiveException? FromSqlite(SqliteException e, string database)
    {
        if (ConditionOf(e.SqliteErrorCode) is not { } condition)
        {
            return null;
        }
        var what = condition switch
        {
            ArchiveCondition.Corrupt => "is damaged or not a SQLite database (corrupt)",
            ArchiveCondition.Full => "is full (disk or quota)",
            ArchiveCondition.ReadOnly => "is read-only (file, folder or file system)",
            ArchiveCondition.Locked => "is locked by another program (busy)",
            ArchiveCondition.CannotOpen => "cannot be opened (missing folder or no permission)",
            _ => "could not be read or written (I/O error)",
        };
        return new UsageArchiveException(condition, database, $"The archive {database} {what}: {e.Message}", e);
    }
}
