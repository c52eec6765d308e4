using System.Diagnostics;
using Microsoft.Playwright;

namespace Keel.Console.Tests;

/// <summary>Debian's Chromium driven by Playwright: installed with <c>apt-get install -y chromium</c> when missing and the tests
/// run as root; never <c>playwright install</c> (no browser download here).</summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly SemaphoreSlim _install = new(1, 1);

    public static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>Null when Chromium is there (or was just installed), else why the browser tests are skipped.</summary>
    public static async Task<string?> EnsureAsync()
    {
        if (File.Exists(Path))
        {
            return null;
        }

        await _install.WaitAsync();
        try
        {
            if (File.Exists(Path))
            {
                return null;
            }

            if (Environment.UserName != "root")
            {
                return $"{Path} is missing and the tests do not run as root: install it with 'apt-get install -y chromium'";
            }

            foreach (var arguments in new[] { "update", "install -y chromium" })
            {
                using var process = Process.Start(new ProcessStartInfo("apt-get", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var error = process.StandardError.ReadToEndAsync();
                await process.StandardOutput.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0 && arguments != "update")
                {
                    throw new InvalidOperationException($"apt-get {arguments} failed ({process.ExitCode}): {await error}");
                }
            }

            return File.Exists(Path) ? null : throw new InvalidOperationException($"apt-get installed chromium but {Path} is missing");
        }
        finally
        {
            _install.Release();
        }
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true, Args = Args });
}
