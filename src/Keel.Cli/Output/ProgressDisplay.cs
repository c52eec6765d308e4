using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>The one way a command draws progress bars: on stderr when it is a terminal (<see cref="KeelConsole.ForProgress"/>), and not
/// at all otherwise, so redirected output carries no progress lines.</summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/> with a progress context to add bars to, or with <see langword="null"/> when
    /// <paramref name="console"/> is <see langword="null"/> (the work then runs without bars).</summary>
    /// <param name="console">Where the bars are drawn; <see langword="null"/> for none.</param>
    /// <param name="work">The work; it adds its own tasks to the context it is given.</param>
    /// <param name="autoClear">Whether the bars are removed when the work ends (the default keeps them).</param>
    /// <returns>What <paramref name="work"/> returned.</returns>
    public static async Task<T> RunAsync<T>(IAnsiConsole? console, Func<ProgressContext?, Task<T>> work, bool autoClear = false)
    {
        if (console is null)
        {
            return await work(null).ConfigureAwait(false);
        }

        T result = default!;
        await console.Progress()
            .AutoClear(autoClear)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => result = await work(context).ConfigureAwait(false))
            .ConfigureAwait(false);
        return result;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (<see cref="Progress{T}"/> posts to the thread pool, so a
/// bar could be drawn after the work ended).</summary>
/// <typeparam name="T">The progress value.</typeparam>
/// <param name="report">What to do with each value.</param>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
