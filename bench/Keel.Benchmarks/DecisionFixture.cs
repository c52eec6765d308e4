using System.Text.Json;
using Keel.Bundles;
using Keel.Gateway;
using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Keel.Tools;

namespace Keel.Benchmarks;

/// <summary>
/// One representative tau-bench decision, taken from the shipped recording: run <see cref="RunId"/> of
/// <c>samples/runs/tau-bench/gpt-4o-airline.json</c> (task 39, trial 1). The customer gives user id and reservation id,
/// the agent calls <c>get_user_details</c> and <c>get_reservation_details</c>, lists the reservation, the customer says
/// "Yes, please proceed with the cancellation.", and the agent calls <c>cancel_reservation {"reservation_id":"H8Q05L"}</c>:
/// the call benchmarked. Under the <c>samples/tau-airline</c> bundle it is allowed (confirmed, reservation looked up,
/// not flown, insured).
/// </summary>
internal sealed class DecisionFixture
{
    public const string RunId = "tau-airline-t39-r1";
    public const string DecidedTool = "cancel_reservation";

    private readonly RecordedStep[] _prefix;
    private readonly PreparedRead[] _reads;

    private DecisionFixture(AgentVersion agent, RecordedRun run, RecordedToolCall decided, RecordedStep[] prefix, DateTimeOffset now)
    {
        Agent = agent;
        Recorded = run;
        Call = decided.Call;
        RecordedResult = decided.Result;
        Now = now;
        _prefix = prefix;
        Pipeline = new ToolCallPipelineBuilder().AddStandardStages(ExecuteStage.Recorded, "default").Build();
        _reads = [.. prefix.OfType<RecordedToolCall>().Select(c => PreparedRead.Of(agent, c))];
        Tool = agent.Tools.TryGet(Call.ToolName, out var tool) ? tool : throw new InvalidOperationException($"{Call.ToolName} is not in the bundle");
        if (!Call.TryParseArguments(out var arguments, out var error))
        {
            throw new InvalidOperationException($"the recorded {Call.ToolName} arguments do not parse: {error}");
        }

        Arguments = arguments;
    }

    public AgentVersion Agent { get; }

    public RecordedRun Recorded { get; }

    public ToolCallPipeline Pipeline { get; }

    public ToolCall Call { get; }

    public ToolDefinition Tool { get; }

    public JsonElement Arguments { get; }

    public ToolResult? RecordedResult { get; }

    public DateTimeOffset Now { get; }

    public static DecisionFixture Load()
    {
        var agent = AgentBundleLoader.Load(RepoPaths.Sample("tau-airline"));
        var path = RepoPaths.Sample("runs", "tau-bench", "gpt-4o-airline.json");
        var diagnostics = new ImportDiagnostics();
        var run = FindRun(new TauBenchImporter().ReadAsync(path, diagnostics), RunId).AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"run {RunId} not found in {path}");

        var steps = run.Steps.ToArray();
        var at = Array.FindIndex(steps, s => s is RecordedToolCall { Requestor: "assistant" } c && c.Call.ToolName == DecidedTool);
        if (at < 0)
        {
            throw new InvalidOperationException($"run {RunId} has no {DecidedTool} call");
        }

        // tau-bench records no timestamps: the replay clock stays at the domain time the system prompt states (2024-05-15 15:00 EST).
        return new DecisionFixture(agent, run, (RecordedToolCall)steps[at], steps[..at], run.StartedAt);
    }

    /// <summary>A fresh state holding what the run knew just before the decided call, built cheaply: the messages and the
    /// two read results are fed straight into <see cref="RunState"/> (no pipeline, no events for the reads).</summary>
    public RunState NewState()
    {
        var state = new RunState(new Run(RunId, "default", Agent.AgentName, Agent.Version, Now) { WorkflowClass = "airline" });
        var read = 0;
        foreach (var step in _prefix)
        {
            switch (step)
            {
                case RecordedMessage message:
                    state.OnMessage(message.Role, message.Content);
                    break;
                case RecordedToolCall:
                    var r = _reads[read++];
                    state.OnToolCallProposed(r.Fingerprint);
                    state.OnCallAllowed(r.Call.ToolName, Now);
                    state.OnToolResult(r.Tool, r.Call, r.Arguments, r.Result);
                    break;
            }
        }

        return state;
    }

    /// <summary>The state built the way replay builds it: every prefix message appended and every prefix call decided by the pipeline.</summary>
    public RunState ReplayPrefix()
    {
        var state = new RunState(new Run(RunId, "default", Agent.AgentName, Agent.Version, Now) { WorkflowClass = "airline" });
        foreach (var step in _prefix)
        {
            switch (step)
            {
                case RecordedMessage message:
                    state.AppendMessage(message.Role, message.Content, Now);
                    break;
                case RecordedToolCall call:
                    var outcome = Sync(Pipeline.ExecuteAsync(new ToolCallContext(call.Call, state, Agent, Now, PipelineMode.Audit, call.Result)));
                    if (outcome.Decision.Kind != DecisionKind.Allow)
                    {
                        throw new InvalidOperationException($"prefix call {call.Call.ToolName} was not allowed: {outcome.Decision.Reason}");
                    }

                    break;
            }
        }

        return state;
    }

    public ToolCallContext NewContext(RunState state) => new(Call, state, Agent, Now, PipelineMode.Audit, RecordedResult);

    public static T Sync<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static async ValueTask<RecordedRun?> FindRun(IAsyncEnumerable<RecordedRun> runs, string id)
    {
        await foreach (var run in runs)
        {
            if (run.Id == id)
            {
                return run;
            }
        }

        return null;
    }

    private sealed record PreparedRead(ToolDefinition? Tool, ToolCall Call, JsonElement Arguments, string Fingerprint, ToolResult Result)
    {
        public static PreparedRead Of(AgentVersion agent, RecordedToolCall recorded)
        {
            var call = recorded.Call;
            if (!call.TryParseArguments(out var arguments, out var error))
            {
                throw new InvalidOperationException($"prefix call {call.ToolName}: {error}");
            }

            agent.Tools.TryGet(call.ToolName, out var tool);
            var result = recorded.Result ?? throw new InvalidOperationException($"prefix call {call.ToolName} has no recorded result");
            return new PreparedRead(tool, call, arguments, call.ToolName + "\u001f" + CanonicalJson.Write(arguments), result);
        }
    }
}
