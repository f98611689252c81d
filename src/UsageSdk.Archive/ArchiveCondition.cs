namespace UsageSdk.Archive;

/// <summary>An expected condition of the archive's database file, as <see cref="UsageArchiveException.Condition"/> names it.</summary>
public enum ArchiveCondition
{
    /// <summary>The file is damaged or is not a SQLite database (SQLITE_CORRUPT, SQLITE_NOTADB).</summary>
    Corrupt,

    /// <summary>The disk or the quota is full, or the database reached its page limit (SQLITE_FULL).</summary>
    Full,

    /// <summary>The file, its folder or the file system is read-only (SQLITE_READONLY).</summary>
    ReadOnly,

    /// <summary>Another connection or program holds a lock on the database for longer than the store waits (SQLITE_BUSY, SQLITE_LOCKED).</summary>
    Locked,

    /// <summary>The file cannot be opened or created: a missing folder or no permission (SQLITE_CANTOPEN).</summary>
    CannotOpen,

    /// <summary>The operating system failed a read or a write (SQLITE_IOERR).</summary>
    IOError,
}
