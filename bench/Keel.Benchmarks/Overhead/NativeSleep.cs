using System.Runtime.InteropServices;

namespace Keel.Benchmarks.Overhead;

/// <summary>Sleeps for microseconds: .NET's own sleeps and timers wait whole milliseconds (about 1.06 ms on Linux), too coarse
/// for a schedule of one call per millisecond.</summary>
internal static partial class NativeSleep
{
    public static void Microseconds(long microseconds)
    {
        if (microseconds <= 0)
        {
            return;
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = usleep((uint)Math.Min(microseconds, 1_000_000));
        }
        else
        {
            Thread.Sleep(TimeSpan.FromMicroseconds(microseconds));
        }
    }

    [DllImport("libc", SetLastError = false)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int usleep(uint microseconds);
}
