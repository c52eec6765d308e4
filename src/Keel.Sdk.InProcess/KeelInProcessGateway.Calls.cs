using System.Security.Cryptography;
using System.Text.Json;
using Keel.Approvals;
using Keel.Budgets;
using Keel.Gateway;
using Keel.Interventions;
using Keel.Model;
using Keel.Sdk.Api;
using Keel.Storage;

namespace Keel.Sdk.InProcess;

/// <summary>Proposed calls, host results and messages: the runs API of docs/gateway-api.md, in process.</summary>
public sealed partial class KeelInProcessGateway
{
    /// <inheritdoc />
    public Task<ApiToolCallOutcome> ProposeToolCallAsync(string runId, ApiToolCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (LiveRequestRules.ToolCallProblem(call.Id, call.Name, call.ParallelIndex, call.ParallelCount) is { } problem)
        {
            throw Problems.Invalid(problem.Path, problem.Message);
        }

        var (index, count) = (call.ParallelIndex ?? 0, Math.Max(1, call.ParallelCount ?? 1));
        var toolCall = call.Arguments.ValueKind switch
        {
            JsonValueKind.Object => ToolCall.WithParsedArguments(call.Id, call.Name, call.Arguments, index, count),
            JsonValueKind.String => new ToolCall(call.Id, call.Name, call.Arguments.GetString()!, index, count),
            JsonValueKind.Undefined or JsonValueKind.Null => new ToolCall(call.Id, call.Name, "{}", index, count),
            _ => throw Problems.Invalid("$.arguments", "arguments must be a JSON object (or a string holding one)"),
        };

        return WithOpenRunAsync<ApiToolCallOutcome>(runId, async live =>
        {
            if (MessageGate.RefusesToolCalls(live.Run.Status))
            {
                throw Problems.Of(409, "run-taken-over", "Run taken over", $"an operator has taken run '{runId}' over; the tool was not called. Propose the call again once released.");
            }

            if (live.HasCall(toolCall.Id))
            {
                throw Problems.Of(409, "call-id-used", "Call id used", $"call '{toolCall.Id}' was already proposed in run '{runId}'; propose a new call with a new id");
            }

            var now = _time.GetUtcNow();
            live.AddCall(toolCall.Id);
            var context = new ToolCallContext(toolCall, live.State, Agent, now, PipelineMode.Enforce);
            var outcome = await _pipeline.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
            Approval? approval = null;
            var created = false;
            if (HeldCallApproval.IsHeld(outcome, context))
            {
                (approval, created) = await HeldCallApproval.FindOrCreateAsync(_approvals, live.Run, context, outcome.Decision, _options.ApprovalStages, _options.ApprovalTimeout, now, cancellationToken).ConfigureAwait(false);
                if (live.Run.Status == RunStatus.Active)
                {
                    live.Run.Status = RunStatus.AwaitingApproval;
                }
            }
            else if (live.Run.Status == RunStatus.AwaitingApproval && outcome.Decision.Kind == DecisionKind.Allow)
            {
                live.Run.Status = RunStatus.Active;
            }

            return (ApiContracts.ToApi(outcome, context, approval, now), created ? approval : null, true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ApiToolResultRecorded> ReportToolResultAsync(string runId, string callId, ApiToolResultReport result, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentNullException.ThrowIfNull(result);
        var status = result.Status switch
        {
            ApiToolResult.Success => ToolResultStatus.Ok,
            ApiToolResult.Error => ToolResultStatus.Error,
            _ => throw Problems.Invalid("$.status", $"status '{result.Status}' is not success or error (a host reports only a function that ran)"),
        };
        var output = result.Output ?? throw Problems.Invalid("$.output", "output is required: the function's result as text (JSON as its text)");
        return WithOpenRunAsync<ApiToolResultRecorded>(runId, live =>
        {
            var recording = HostToolResults.Record(live.State, Agent, callId, status, output, _time.GetUtcNow(), _redactor);
            switch (recording.Status)
            {
                case HostResultStatus.UnknownCall:
                    throw Problems.Of(404, "not-found", "No such call", recording.Detail!);
                case HostResultStatus.NotAllowed:
                    throw Problems.Of(409, "call-not-allowed", "Call not allowed", recording.Detail!);
                case HostResultStatus.ResultExists:
                    throw Problems.Of(409, "result-recorded", "Result recorded", recording.Detail!);
            }

            var stored = recording.Event!;
            var answer = new ApiToolResultRecorded(callId, stored.Sequence, ApiContracts.StatusName(stored.Result.Status));
            return Task.FromResult((answer, (Approval?)null, recording.Status == HostResultStatus.Recorded));
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An assistant reply to a paused or taken-over run is held (<see cref="MessageGate"/>): recorded as a <c>hold</c>
    /// intervention by <c>sdk</c> and answered <c>held</c> with its id, for an operator of a <c>keel serve</c> over the same store to
    /// decide; the usage reported with it is counted in the budgets.</remarks>
    public Task<AppendMessageResponse> SendMessageAsync(string runId, AppendMessageRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (LiveRequestRules.MessageProblem(message.Content, message.Role, message.Usage is { } u ? (u.Tokens, u.InputTokens, u.OutputTokens, u.CostUsd) : null,
                message.Channel, out var role) is { } problem)
        {
            throw Problems.Invalid(problem.Path, problem.Message);
        }

        return WithOpenRunAsync<AppendMessageResponse>(runId, async live =>
        {
            var use = new BudgetUse(1, 0, message.Usage?.Tokens ?? 0, message.Usage?.CostUsd ?? 0m);
            var reservation = await _budgets.TryReserveAsync(WorkspaceId, use, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (!reservation.Granted)
            {
                throw Problems.Of(429, "budget-exceeded", "Budget exceeded", reservation.Reason!);
            }

            if (message.Usage is { } usage)
            {
                live.State.AddUsage(usage.Tokens, usage.CostUsd);
            }

            var status = RunEventJson.EnumName(live.Run.Status);
            if (role == MessageRole.Assistant && MessageGate.Holds(live.Run.Status))
            {
                var id = "int_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                var hold = live.Run.Append(new InterventionEvent(InterventionActions.Hold, "sdk")
                {
                    InterventionId = id,
                    Content = message.Content,
                    Channel = message.Channel,
                    Timestamp = _time.GetUtcNow(),
                });
                live.State.Observe(hold);
                return (new AppendMessageResponse(hold.Sequence, "held", id, status), null, true);
            }

            var stored = live.State.AppendMessage(new MessageEvent(role, message.Content)
            {
                Channel = message.Channel,
                Usage = message.Usage is { } u ? new MessageUsage(u.Tokens, u.CostUsd) { InputTokens = u.InputTokens, OutputTokens = u.OutputTokens } : null,
                Timestamp = _time.GetUtcNow(),
            });
            return (new AppendMessageResponse(stored.Sequence, "deliver", null, status), null, true);
        }, cancellationToken);
    }
}
