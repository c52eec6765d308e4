using System.Text.Json.Nodes;
using Keel.Gateway;
using Keel.Model;
using Keel.Policies;
using Keel.Tools;
using Shouldly;

namespace Keel.Core.Tests.Gateway;

/// <summary>A small airline-like agent, runs and pipelines for the gateway tests.</summary>
internal static class GatewayKit
{
    public const string WorkspaceId = "acme";

    public const string Team = "airline-support";

    /// <summary>The run clock of every test run: 2024-05-15 15:00 EST.</summary>
    public static readonly DateTimeOffset Clock = new(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5));

    /// <summary>get_reservation_details (READ), cancel_reservation (WRITE, not idempotent), update_reservation_flights (WRITE, idempotent,
    /// nested flights array), send_certificate (WRITE, number amount), transfer_to_human_agents (GENERIC).</summary>
    public const string ToolsJson = """
        {"tools": [
          {"type": "function", "x-tool-type": "READ", "function": {"name": "get_reservation_details", "description": "Look up a reservation.",
            "parameters": {"type": "object", "properties": {"reservation_id": {"type": "string"}}, "required": ["reservation_id"]}}},
          {"type": "function", "x-tool-type": "WRITE", "x-idempotent": false, "function": {"name": "cancel_reservation", "description": "Cancel a reservation.",
            "parameters": {"type": "object", "properties": {"reservation_id": {"type": "string"}}, "required": ["reservation_id"]}}},
          {"type": "function", "x-tool-type": "WRITE", "x-idempotent": true, "function": {"name": "update_reservation_flights", "description": "Change flights.",
            "parameters": {"type": "object", "properties": {
              "reservation_id": {"type": "string"},
              "cabin": {"type": "string", "enum": ["basic_economy", "economy", "business"]},
              "flights": {"type": "array", "items": {"type": "object",
                "properties": {"flight_number": {"type": "string"}, "date": {"type": "string"}}, "required": ["flight_number", "date"]}},
              "payment_id": {"type": "string"}},
              "required": ["reservation_id", "cabin", "flights", "payment_id"]}}},
          {"type": "function", "x-tool-type": "WRITE", "function": {"name": "send_certificate", "description": "Send a certificate.",
            "parameters": {"type": "object", "properties": {"user_id": {"type": "string"}, "amount": {"type": "number"}}, "required": ["user_id", "amount"]}}},
          {"type": "function", "x-tool-type": "GENERIC", "function": {"name": "transfer_to_human_agents", "description": "Transfer to a human.",
            "parameters": {"type": "object", "properties": {"summary": {"type": "string"}}, "required": ["summary"]}}}
        ]}
        """;

    public const string NoRules = "policy: test\nversion: \"7\"\nrules: []\n";

    public static ToolCatalog Catalog() => ToolCatalogLoader.Parse(JsonNode.Parse(ToolsJson), "tools.json");

    public static PolicySet Policies(string yaml, PolicyLoadOptions? options = null)
    {
        var result = PolicyLoader.Parse(yaml, "policies.yaml", options);
        result.HasErrors.ShouldBeFalse(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Set!;
    }

    public static AgentVersion Agent(string? policies = null, BudgetLimits? budgets = null, LoopGuardOptions? loopGuard = null) => new()
    {
        AgentName = "airline",
        Version = "1.0.0",
        Model = "test-model",
        PromptFile = "prompt.md",
        PromptSha256 = "00",
        Tools = Catalog(),
        Policies = Policies(policies ?? NoRules),
        Budgets = budgets ?? BudgetLimits.Unlimited,
        LoopGuard = loopGuard ?? LoopGuardOptions.Default,
        Handoff = new HandoffOptions(["transfer_to_human_agents"], Team),
    };

    public static RunState NewRun(string workspace = WorkspaceId, string id = "run-1") => new(new Run(id, workspace, "airline", "1.0.0", Clock));

    /// <summary>Keel's standard chain, with an execute stage that retries without delay.</summary>
    public static ToolCallPipeline Pipeline(IToolExecutor executor, int maxRetries = 2, string workspace = WorkspaceId, Func<ToolCallContext, bool>? isApproved = null) =>
        new ToolCallPipelineBuilder()
            .Add(new RecordStage())
            .Add(new ScopeStage(workspace))
            .Add(new SchemaStage())
            .Add(new PolicyStage())
            .Add(new BudgetStage())
            .Add(new LoopGuardStage())
            .Add(new ApprovalGateStage(isApproved))
            .Add(new PlanGateStage())
            .Add(new ResultCheckStage())
            .Add(new ExecuteStage(executor, new Keel.Execution.ExecutionOptions { MaxRetries = maxRetries, BaseDelay = TimeSpan.Zero }))
            .Build();

    public static ToolCall Call(string tool, string arguments, string? id = null) => new(id ?? "call_" + Guid.NewGuid().ToString("N")[..8], tool, arguments);

    /// <summary>Runs one call through the pipeline in enforce mode.</summary>
    public static async Task<ToolCallOutcome> EnforceAsync(ToolCallPipeline pipeline, RunState state, AgentVersion agent, ToolCall call, DateTimeOffset? at = null) =>
        await pipeline.ExecuteAsync(new ToolCallContext(call, state, agent, at ?? Clock, PipelineMode.Enforce), Xunit.TestContext.Current.CancellationToken);

    /// <summary>Runs one call through the pipeline in audit mode with its recorded result.</summary>
    public static async Task<ToolCallOutcome> AuditAsync(ToolCallPipeline pipeline, RunState state, AgentVersion agent, ToolCall call, ToolResult? recorded) =>
        await pipeline.ExecuteAsync(new ToolCallContext(call, state, agent, Clock, PipelineMode.Audit, recorded), Xunit.TestContext.Current.CancellationToken);
}

/// <summary>A tool that answers with a fixed output, or fails with <see cref="Error"/> for its first <see cref="FailuresBeforeSuccess"/> attempts. Counts attempts.</summary>
internal sealed class FakeToolExecutor : IToolExecutor
{
    private int _attempts;

    /// <summary>Attempts that fail before the tool succeeds; <see cref="int.MaxValue"/> for a tool that always fails.</summary>
    public int FailuresBeforeSuccess { get; init; }

    /// <summary>The error text of a failing attempt.</summary>
    public string Error { get; init; } = "Error: upstream timeout";

    /// <summary>The output of a successful attempt.</summary>
    public string Output { get; init; } = """{"status": "ok"}""";

    /// <summary>Every call the tool received, in order.</summary>
    public List<ToolCall> Received { get; } = [];

    public int Attempts => _attempts;

    public ValueTask<ToolResult> ExecuteAsync(ToolCallContext context, CancellationToken cancellationToken)
    {
        Received.Add(context.Call);
        var attempt = Interlocked.Increment(ref _attempts);
        return ValueTask.FromResult(attempt <= FailuresBeforeSuccess
            ? new ToolResult(context.Call.Id, ToolResultStatus.Error, Error)
            : new ToolResult(context.Call.Id, ToolResultStatus.Ok, Output));
    }
}
