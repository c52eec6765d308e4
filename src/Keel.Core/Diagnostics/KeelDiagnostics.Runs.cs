using System.Diagnostics;
using System.Runtime.CompilerServices;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Diagnostics;

public static partial class KeelDiagnostics
{
    // The open invoke_agent span of each run, so that a tool call of a live run finds its parent even when it arrives on another request.
    private static readonly ConditionalWeakTable<Run, Activity> s_runSpans = new();

    /// <summary>Starts the <c>invoke_agent {agent}</c> span of a run (GenAI semantic conventions; kind Internal: Keel governs the run in its
    /// own process, it does not call a remote agent) and makes it current, so the run's <c>execute_tool</c> spans nest under it. Call
    /// <see cref="StopInvokeAgent"/> when the run ends (replay: after its last step; live: when the run leaves the active states).</summary>
    /// <param name="run">The run: its id is <c>gen_ai.conversation.id</c>.</param>
    /// <param name="agent">The governing agent version: name, version and model.</param>
    /// <param name="mode">Enforce (live) or audit (replay).</param>
    /// <returns>The span; <see langword="null"/> when nobody listens or the sampler dropped it (every method here accepts <see langword="null"/>).
    /// Never throws.</returns>
    public static Activity? StartInvokeAgent(Run run, AgentVersion agent, PipelineMode mode)
    {
        if (!ActivitySource.HasListeners() || run is null || agent is null)
        {
            return null;
        }

        Activity? activity = null;
        var current = Activity.Current;
        try
        {
            KeyValuePair<string, object?>[] sampling =
            [
                new(GenAiAttributes.OperationName, GenAiAttributes.InvokeAgent),
                new(GenAiAttributes.AgentName, agent.AgentName),
                new(GenAiAttributes.RequestModel, agent.Model),
            ];
            activity = ActivitySource.StartActivity(ActivityKind.Internal, parentContext: default, tags: sampling, name: GenAiAttributes.InvokeAgent + " " + agent.AgentName);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(GenAiAttributes.AgentId, run.WorkspaceId + "/" + agent.AgentName);
                activity.SetTag(GenAiAttributes.AgentVersion, agent.Version);
                activity.SetTag(GenAiAttributes.ConversationId, run.Id);
                activity.SetTag(KeelAttributes.WorkspaceId, run.WorkspaceId);
                activity.SetTag(KeelAttributes.Mode, TelemetryValues.Of(mode));
                activity.SetTag(KeelAttributes.WorkflowClass, run.WorkflowClass);
            }

            if (activity is not null)
            {
                s_runSpans.AddOrUpdate(run, activity);
            }

            return activity;
        }
        catch (Exception ex) when (TelemetryValues.IsSwallowed(ex))
        {
            if (activity is null)
            {
                Activity.Current = current;
            }

            return activity;
        }
    }

    /// <summary>Ends a run's <c>invoke_agent</c> span and records the run instruments (<c>keel.runs</c>, <c>keel.budget.used</c>,
    /// <c>keel.run.*</c>). The span gets <c>keel.run.status</c>, <c>keel.run.failures</c> and, when the run failed or was stopped, status Error
    /// with <c>error.type</c> = the status; with <paramref name="exception"/> it gets that instead and no run is counted (the run did not end).
    /// Never throws.</summary>
    /// <param name="activity">The span from <see cref="StartInvokeAgent"/>, or <see langword="null"/> (the instruments are still recorded).</param>
    /// <param name="state">The run's state: its counters and <see cref="Run.Status"/>.</param>
    /// <param name="agent">The governing agent version: its budget limits.</param>
    /// <param name="mode">Enforce (live) or audit (replay).</param>
    /// <param name="exception">What stopped the run's processing, e.g. a cancellation; <see langword="null"/> when the run ended normally.</param>
    public static void StopInvokeAgent(Activity? activity, RunState state, AgentVersion agent, PipelineMode mode, Exception? exception = null)
    {
        try
        {
            if (exception is not null)
            {
                if (activity is { IsAllDataRequested: true })
                {
                    activity.SetTag(GenAiAttributes.ErrorType, exception.GetType().FullName);
                    activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                    activity.AddException(exception);
                }

                return;
            }

            if (state is null || agent is null)
            {
                return;
            }

            var run = state.Run;
            var status = TelemetryValues.Of(run.Status);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(KeelAttributes.RunStatus, status);
                activity.SetTag(KeelAttributes.RunFailures, run.Failures.Count);
                if (run.Status is RunStatus.Failed or RunStatus.Stopped)
                {
                    activity.SetTag(GenAiAttributes.ErrorType, status);
                    activity.SetStatus(ActivityStatusCode.Error, status);
                }
            }

            RecordRun(state, agent, status, TelemetryValues.Of(mode));
        }
        catch (Exception ex) when (TelemetryValues.IsSwallowed(ex))
        {
            // a listener threw: the run's result stands
        }
        finally
        {
            // Only a started span was remembered; skipping the removal otherwise keeps the no-listener path lock-free.
            if (activity is not null && state is not null)
            {
                s_runSpans.Remove(state.Run);
            }

            ToolCallTelemetry.End(activity);
        }
    }

    /// <summary>The open <c>invoke_agent</c> span of a run, or <see langword="null"/>.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The span.</returns>
    internal static Activity? RunSpan(Run run) => s_runSpans.TryGetValue(run, out var span) ? span : null;

    private static void RecordRun(RunState state, AgentVersion agent, string status, string mode)
    {
        var agentTag = new KeyValuePair<string, object?>(GenAiAttributes.AgentName, agent.AgentName);
        var modeTag = new KeyValuePair<string, object?>(KeelAttributes.Mode, mode);
        if (Runs.Enabled)
        {
            Runs.Add(1, new KeyValuePair<string, object?>(KeelAttributes.RunStatus, status), agentTag, modeTag);
        }

        if (RunSteps.Enabled)
        {
            RunSteps.Record(state.Steps, agentTag, modeTag);
        }

        if (RunToolCalls.Enabled)
        {
            RunToolCalls.Record(state.ToolCalls, agentTag, modeTag);
        }

        if (RunTokens.Enabled)
        {
            RunTokens.Record(state.Tokens, agentTag, modeTag);
        }

        if (RunCost.Enabled)
        {
            RunCost.Record((double)state.CostUsd, agentTag, modeTag);
        }

        if (!BudgetUsed.Enabled)
        {
            return;
        }

        var limits = agent.Budgets;
        RecordShare("steps", state.Steps, limits.MaxSteps, agentTag, modeTag);
        RecordShare("tool_calls", state.ToolCalls, limits.MaxToolCalls, agentTag, modeTag);
        RecordShare("tokens", state.Tokens, limits.MaxTokens, agentTag, modeTag);
        RecordShare("cost_usd", (double)state.CostUsd, (double?)limits.MaxCostUsd, agentTag, modeTag);
    }

    private static void RecordShare(string kind, double used, double? limit, KeyValuePair<string, object?> agentTag, KeyValuePair<string, object?> modeTag)
    {
        // A limit of 0 forbids any use: report 1 (all of it) once anything was used, 0 otherwise, rather than dividing by zero.
        if (limit is { } max)
        {
            BudgetUsed.Record(max > 0 ? used / max : used > 0 ? 1.0 : 0.0, new KeyValuePair<string, object?>(KeelAttributes.BudgetKind, kind), agentTag, modeTag);
        }
    }
}
