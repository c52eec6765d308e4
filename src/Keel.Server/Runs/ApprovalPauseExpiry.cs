using Microsoft.Extensions.Hosting;

namespace Keel.Server.Runs;

/// <summary>Once a second, ends the pauses of approvals that expired (<see cref="LiveGateway.EndExpiredApprovalPausesAsync"/>), so an
/// expiry releases a run paused by <see cref="Model.HandoffOptions.PauseOnApproval"/> as a decision does (docs/intervention.md).</summary>
internal sealed class ApprovalPauseExpiry(LiveGateway gateway, TimeProvider time) : BackgroundService
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
                await gateway.EndExpiredApprovalPausesAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
