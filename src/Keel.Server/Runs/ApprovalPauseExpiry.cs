using Microsoft.Extensions.Hosting;

namespace Keel.Server.Runs;

/// <summary>Once a second, looks at the approvals that expired undecided (<see cref="LiveGateway.EndExpiredApprovalsAsync"/>): writes
/// their console line and ends the pause each put on its run (<see cref="Model.HandoffOptions.PauseOnApproval"/>) as a decision does
/// (docs/intervention.md).</summary>
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
                await gateway.EndExpiredApprovalsAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
