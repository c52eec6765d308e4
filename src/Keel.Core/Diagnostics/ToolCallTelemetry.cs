using System.Diagnostics;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Diagnostics;

/// <summary>The <c>execute_tool {tool}</c> span and the tool-call instruments, for <see cref="TelemetryStage"/>. Every method swallows what a
/// listener throws (telemetry never fails a call) and always ends the span it was given.</summary>
internal static class ToolCallTelemetry
{
    /// <summary>Whether any tool-call instrument has a listener.</summary>
    public static bool MetricsEnabled => KeelDiagnostics.Decisions.Enabled || KeelDiagnostics.Duration.Enabled || KeelDiagnostics.PendingApprovals.Enabled;

    /// <summary>Starts the span of a call (kind Internal, as the conventions ask of <c>execute_tool</c>), child of the current span, or of the
    /// run's <c>invoke_agent</c> span when the current span is in another trace; <see langword="null"/> when nobody listens or the sampler said no.</summary>
    public static Activity? Start(ToolCallContext context, bool captureContent)
    {
        Activity? activity = null;
        var current = Activity.Current;
        try
        {
            var source = KeelDiagnostics.ActivitySource;
            if (!source.HasListeners())
            {
                return null;
            }

            var call = context.Call;

            // The parent is the current span, unless the run has an invoke_agent span in another trace (a live run's call arriving on its own
            // request): then the run's span is the parent and the current span a link.
            var runSpan = KeelDiagnostics.RunSpan(context.State.Run);
            var parent = default(ActivityContext);
            ActivityLink[]? links = null;
            if (runSpan is not null && (current is null || current.TraceId != runSpan.TraceId))
            {
                parent = runSpan.Context;
                links = current is null ? null : [new ActivityLink(current.Context)];
            }

            // The conventions name the attributes samplers need at creation: the operation and the tool.
            KeyValuePair<string, object?>[] sampling = [new(GenAiAttributes.OperationName, GenAiAttributes.ExecuteTool), new(GenAiAttributes.ToolName, call.ToolName)];
            activity = source.StartActivity(ActivityKind.Internal, parent, sampling, links, name: GenAiAttributes.ExecuteTool + " " + call.ToolName);
            if (activity is not { IsAllDataRequested: true })
            {
                return activity;
            }

            var run = context.State.Run;
            activity.SetTag(GenAiAttributes.ToolCallId, call.Id);
            activity.SetTag(GenAiAttributes.ToolType, GenAiAttributes.FunctionToolType);
            activity.SetTag(GenAiAttributes.ConversationId, run.Id);
            activity.SetTag(GenAiAttributes.AgentName, context.Agent.AgentName);
            activity.SetTag(GenAiAttributes.AgentVersion, context.Agent.Version);
            activity.SetTag(KeelAttributes.Mode, TelemetryValues.Of(context.Mode));
            if (context.Agent.Tools.TryGet(call.ToolName, out var tool))
            {
                activity.SetTag(KeelAttributes.ToolKind, TelemetryValues.Of(tool.Type));
                activity.SetTag(GenAiAttributes.ToolDescription, tool.Description);
            }

            if (captureContent)
            {
                activity.SetTag(GenAiAttributes.ToolCallArguments, call.ArgumentsJson);
            }

            return activity;
        }
        catch (Exception ex) when (TelemetryValues.IsSwallowed(ex))
        {
            // An ActivityStarted listener threw inside StartActivity: the span it started is lost, so put the parent back.
            if (activity is null)
            {
                Activity.Current = current;
            }

            return activity;
        }
    }

    /// <summary>Puts the outcome on the span, records the instruments and ends the span.</summary>
    public static void Complete(Activity? activity, ToolCallContext context, ToolCallOutcome outcome, TimeSpan elapsed, bool captureContent)
    {
        try
        {
            var decision = outcome.Decision;
            var kind = TelemetryValues.Of(decision.Kind);
            var failure = outcome.Failure is { } f ? TelemetryValues.Of(f.Class) : null;
            var mode = TelemetryValues.Of(context.Mode);
            var tool = context.Call.ToolName;
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(KeelAttributes.Decision, kind);
                activity.SetTag(KeelAttributes.Stage, decision.Stage);
                activity.SetTag(KeelAttributes.RuleId, decision.RuleId);
                activity.SetTag(KeelAttributes.PolicyVersion, decision.PolicyVersion);
                if (failure is not null)
                {
                    // Stopped, held or failed: error.type is the failure class (the documented list of errors Keel reports).
                    activity.SetTag(KeelAttributes.FailureClass, failure);
                    activity.SetTag(GenAiAttributes.ErrorType, failure);
                    activity.SetStatus(ActivityStatusCode.Error, kind + " at " + decision.Stage);
                }

                if (captureContent)
                {
                    activity.SetTag(KeelAttributes.DecisionReason, decision.Reason);
                    if (outcome.Result.IsSuccess)
                    {
                        activity.SetTag(GenAiAttributes.ToolCallResult, outcome.Result.Output);
                    }
                }
            }

            if (KeelDiagnostics.Decisions.Enabled)
            {
                var tags = new TagList
                {
                    { KeelAttributes.Decision, kind },
                    { KeelAttributes.Stage, decision.Stage },
                    { GenAiAttributes.ToolName, tool },
                    { KeelAttributes.Mode, mode },
                };
                AddIfSet(ref tags, KeelAttributes.RuleId, decision.RuleId);
                AddIfSet(ref tags, KeelAttributes.FailureClass, failure);
                KeelDiagnostics.Decisions.Add(1, tags);
            }

            if (KeelDiagnostics.Duration.Enabled)
            {
                var tags = new TagList
                {
                    { GenAiAttributes.OperationName, GenAiAttributes.ExecuteTool },
                    { GenAiAttributes.ToolName, tool },
                    { KeelAttributes.Decision, kind },
                    { KeelAttributes.Mode, mode },
                };
                AddIfSet(ref tags, GenAiAttributes.ErrorType, failure);
                KeelDiagnostics.Duration.Record(elapsed.TotalSeconds, tags);
            }

            if (decision.Kind == DecisionKind.RequireApproval && context.Mode == PipelineMode.Enforce && KeelDiagnostics.PendingApprovals.Enabled)
            {
                KeelDiagnostics.PendingApprovals.Add(1, new KeyValuePair<string, object?>(GenAiAttributes.ToolName, tool));
            }
        }
        catch (Exception ex) when (TelemetryValues.IsSwallowed(ex))
        {
            // a listener threw: the call's outcome stands
        }
        finally
        {
            End(activity);
        }
    }

    /// <summary>Marks the span failed with the exception a stage threw (<c>error.type</c> = its type name), records the duration and ends the span.</summary>
    public static void Fail(Activity? activity, ToolCallContext context, Exception exception, TimeSpan elapsed)
    {
        try
        {
            var type = exception.GetType().FullName ?? TelemetryValues.Other;
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(GenAiAttributes.ErrorType, type);
                activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                activity.AddException(exception);
            }

            if (KeelDiagnostics.Duration.Enabled)
            {
                KeelDiagnostics.Duration.Record(elapsed.TotalSeconds, new TagList
                {
                    { GenAiAttributes.OperationName, GenAiAttributes.ExecuteTool },
                    { GenAiAttributes.ToolName, context.Call.ToolName },
                    { KeelAttributes.Mode, TelemetryValues.Of(context.Mode) },
                    { GenAiAttributes.ErrorType, type },
                });
            }
        }
        catch (Exception ex) when (TelemetryValues.IsSwallowed(ex))
        {
            // a listener threw: the stage's own exception is what the caller sees
        }
        finally
        {
            End(activity);
        }
    }

    /// <summary>Ends a span, swallowing what an ActivityStopped listener throws.</summary>
    public static void End(Activity? activity)
    {
        try
        {
            activity?.Dispose();
        }
        catch (Exception ex) when (TelemetryValues.IsSwallowed(ex))
        {
            // a listener threw on stop; the span is stopped either way
        }
    }

    private static void AddIfSet(ref TagList tags, string key, string? value)
    {
        if (value is not null)
        {
            tags.Add(key, value);
        }
    }
}
