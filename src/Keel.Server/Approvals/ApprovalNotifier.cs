using System.Globalization;
using System.Net.Http.Json;
using System.Threading.Channels;
using Keel.Approvals;
using Keel.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Approvals;

/// <summary>Posts a Slack-compatible message (<c>{"text": …}</c>, the shape of Slack's incoming webhooks) for each new approval to
/// <see cref="KeelServerOptions.ApprovalWebhook"/>. Delivery runs in the background, one attempt of at most 10 s per approval;
/// a failure is logged and never affects the held call (the approvals API is the source of truth). Pending deliveries are
/// sent before the server stops.</summary>
internal sealed partial class ApprovalNotifier(KeelServerOptions options, IHttpClientFactory httpClients, RecordSealer sealer, ILogger<ApprovalNotifier> logger) : BackgroundService
{
    private readonly Channel<Approval> _queue = Channel.CreateUnbounded<Approval>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a notification of the approval as stored (sealed: its arguments redacted); does nothing without a webhook.</summary>
    public void Notify(Approval approval)
    {
        if (options.ApprovalWebhook is not null)
        {
            _queue.Writer.TryWrite(sealer.Seal(approval));
        }
    }

    /// <summary>The message text for an approval.</summary>
    public static string Text(Approval a) => string.Create(CultureInfo.InvariantCulture,
        $"Keel is holding a call for approval {a.Id}: {a.ToolName} {a.ArgumentsJson} in run {a.RunId}. Why: {a.Reason}. "
        + $"Approvals needed: {a.StagesRequired}. Expires {a.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}. "
        + $"Approve: POST /v1/approvals/{a.Id}/approve");

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var approval in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var client = httpClients.CreateClient("keel-webhook");
                using var response = await client.PostAsJsonAsync(options.ApprovalWebhook, new WebhookMessage(Text(approval)), timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    LogFailed(logger, approval.Id, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                LogFailed(logger, approval.Id, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "approval webhook for {ApprovalId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string approvalId, string reason);

    /// <summary>The webhook body.</summary>
    /// <param name="Text">The message.</param>
    internal sealed record WebhookMessage(string Text);
}
