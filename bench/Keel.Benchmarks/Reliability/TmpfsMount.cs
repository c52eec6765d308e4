using System.Diagnostics;
using System.Globalization;

namespace Keel.Benchmarks.Reliability;

/// <summary>A size-limited tmpfs mounted on a fresh temp folder (Linux, root): a disk that fills up, and grows again on
/// <see cref="ResizeAsync"/>. <see cref="TryMountAsync"/> says why when it cannot (not Linux, not root, mount refused).</summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>The mounted folder.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> bytes on a new folder under the temp directory.</summary>
    /// <returns>The mount, or <see langword="null"/> with the reason it could not be made.</returns>
    public static async Task<(TmpfsMount? Mount, string? Reason)> TryMountAsync(long bytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "tmpfs needs Linux");
        }

        if (Environment.UserName != "root")
        {
            return (null, $"mounting a tmpfs needs root (running as '{Environment.UserName}')");
        }

        var folder = Directory.CreateTempSubdirectory("keel-diskfull-").FullName;
        var (exit, output) = await RunAsync("mount", "-t", "tmpfs", "-o", Size(bytes), "tmpfs", folder);
        if (exit != 0)
        {
            Directory.Delete(folder);
            return (null, $"mount -t tmpfs failed ({exit}): {output.Trim()}");
        }

        return (new TmpfsMount(folder), null);
    }

    /// <summary>Changes the file system's size (<c>mount -o remount,size=…</c>); files stay.</summary>
    /// <exception cref="InvalidOperationException">The remount failed.</exception>
    public async Task ResizeAsync(long bytes)
    {
        var (exit, output) = await RunAsync("mount", "-o", "remount," + Size(bytes), Path);
        if (exit != 0)
        {
            throw new InvalidOperationException($"remount of {Path} failed ({exit}): {output}");
        }
    }

    /// <summary>Bytes free on the file system.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public async ValueTask DisposeAsync()
    {
        // Lazy unmount: a connection still closing does not keep the tmpfs (and its memory) alive.
        await RunAsync("umount", "-l", Path);
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
        }
    }

    private static string Size(long bytes) => "size=" + bytes.ToString(CultureInfo.InvariantCulture);

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output + await error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
