using Microsoft.Extensions.Hosting;

namespace Keel.Server.Runs;

/// <summary>Retries, once a second, storing the outcomes of tool calls that ran while the store refused their record
/// (<see cref="UnrecordedOutcomes"/>), until each is stored.</summary>
internal sealed class UnrecordedOutcomesFlusher(LiveGateway gateway, UnrecordedOutcomes unrecorded, TimeProvider time) : BackgroundService
{
    /// <summary>The pause between rounds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (unrecorded.Count > 0)
                {
                    await gateway.FlushUnrecordedAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
