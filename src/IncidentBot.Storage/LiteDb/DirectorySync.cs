using System.Runtime.InteropServices;

namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// Makes the renames in a folder durable: an fsync of the folder itself (POSIX). A file's own fsync covers its contents,
/// not the folder entry that names it, so after moving files into place a power cut may otherwise bring the old names
/// back on file systems that do not keep metadata changes in order. Windows has no such call (NTFS journals renames).
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Tests only: runs before each folder fsync with the folder's path, and may throw as a failing disk would.</summary>
    internal static Action<string>? BeforeFlush { get; set; }

    public static void Flush(string folder)
    {
        BeforeFlush?.Invoke(folder);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // The path as the C string open(2) takes: UTF-8, ending in a zero byte.
        var fd = Open(System.Text.Encoding.UTF8.GetBytes(folder + "\0"), ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the folder {folder} to make its renames durable (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not fsync the folder {folder} after moving files in it (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
