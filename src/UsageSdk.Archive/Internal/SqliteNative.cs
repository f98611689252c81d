using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace UsageSdk.Archive.Internal;

/// <summary>
/// Steps a prepared statement and reads its columns with direct calls into the SQLite library that
/// <see cref="raw"/> uses (<c>e_sqlite3</c>, the library Microsoft.Data.Sqlite ships), passing the statement as a
/// pointer. Through <see cref="raw"/>, each call marshals the statement's <see cref="SafeHandle"/> (a reference count
/// taken and released with interlocked operations), which was a third of the time of reading a 90-day view's roll-up
/// rows (docs/performance.md, "Dashboard on a big archive"). When the library is another one (a different
/// SQLitePCLRaw bundle or provider, or another copy of <c>e_sqlite3</c> than the one loaded for SQLitePCLRaw) or
/// cannot be bound, every call goes through <see cref="raw"/> as before.
/// The caller keeps the statement alive (and undisposed) while it reads.
/// </summary>
internal readonly struct SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether the direct calls reach the same library as <see cref="raw"/> (checked once).</summary>
    internal static readonly bool Direct = Probe();

    private readonly sqlite3_stmt _stmt;
    private readonly nint _handle;

    public SqliteNative(sqlite3_stmt stmt)
    {
        _stmt = stmt;
        _handle = Direct ? stmt.DangerousGetHandle() : 0;
    }

    /// <summary><c>sqlite3_step</c>.</summary>
    public int Step() => _handle != 0 ? NativeStep(_handle) : raw.sqlite3_step(_stmt);

    /// <summary><c>sqlite3_column_int64</c> (0 for NULL).</summary>
    public long Int64(int column) => _handle != 0 ? NativeInt64(_handle, column) : raw.sqlite3_column_int64(_stmt, column);

    /// <summary>Whether the column is NULL (<c>sqlite3_column_type</c>).</summary>
    public bool IsNull(int column) => (_handle != 0 ? NativeType(_handle, column) : raw.sqlite3_column_type(_stmt, column)) == raw.SQLITE_NULL;

    /// <summary>The column as text; null for NULL.</summary>
    public string? Text(int column) => IsNull(column) ? null : raw.sqlite3_column_text(_stmt, column).utf8_to_string();

    private static bool Probe()
    {
        try
        {
            // The same loaded copy of the library: its name, and the address of its version text through both paths.
            if (!string.Equals(raw.GetNativeLibraryName(), Library, StringComparison.Ordinal))
            {
                return false;
            }
            var theirs = raw.sqlite3_libversion();
            return Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref Unsafe.AsRef(in theirs.GetPinnableReference())) == NativeVersionText();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or NotSupportedException)
        {
            return false;
        }
    }

    [DllImport(Library, EntryPoint = "sqlite3_libversion", ExactSpelling = true)]
    private static extern nint NativeVersionText();

    [DllImport(Library, EntryPoint = "sqlite3_step", ExactSpelling = true)]
    private static extern int NativeStep(nint stmt);

    [DllImport(Library, EntryPoint = "sqlite3_column_int64", ExactSpelling = true)]
    private static extern long NativeInt64(nint stmt, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_type", ExactSpelling = true)]
    private static extern int NativeType(nint stmt, int column);
}
