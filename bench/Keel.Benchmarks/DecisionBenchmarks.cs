using BenchmarkDotNet.Attributes;
using Keel.Gateway;
using Keel.Model;
using Keel.Policies;
using Keel.Tools;
using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;
using Polly.Timeout;

namespace Keel.Benchmarks;

/// <summary>
/// One decision through Keel's standard tool-call chain (record → scope → schema → policy → budget → loop guard →
/// approval gate → plan gate → result check → execute, audit mode) for the recorded <c>cancel_reservation</c> call of
/// <see cref="DecisionFixture"/>, each costly stage alone, and a Polly.Core pipeline of five strategies as the yardstick.
/// </summary>
/// <remarks>
/// The record stage mutates the run's state (fingerprint counts, counters, conversation), so a repeated call on one state
/// would soon be denied by the loop guard or the budget. <see cref="FullDecision_WithFreshState"/> therefore builds a fresh state per
/// call with <see cref="DecisionFixture.NewState"/> (no pipeline, no parsing beyond the two read results) and
/// <see cref="FreshRunStateOnly"/> measures that construction alone: the decision is the difference. The stage
/// benchmarks only read the state, so they reuse one prepared state and context.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class DecisionBenchmarks
{
    private static readonly ToolCallOutcome s_terminal = new(Decision.Allowed, new ToolResult("terminal", ToolResultStatus.Ok, "{}"), null);

    private static readonly ToolCallHandler s_terminalHandler = static (_, _) => ValueTask.FromResult(s_terminal);

    private DecisionFixture _fixture = null!;
    private ToolCallContext _stageContext = null!;
    private SchemaStage _schema = null!;
    private PolicyStage _policy = null!;
    private BudgetStage _budget = null!;
    private ToolCallHandler _loopGuardThenTerminal = null!;
    private ResiliencePipeline<int> _polly = null!;
    private NJsonSchema.JsonSchema _njsonSchema = null!;
    private JsonSchemaValidator _njsonValidator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = DecisionFixture.Load();
        _polly = PollyYardstick.Build();

        // The decision must be the normal allow path, the same on the cheap state as on the state replay builds, and the same
        // decision the replay engine records for this call of the run.
        var cheap = DecisionFixture.Sync(_fixture.Pipeline.ExecuteAsync(_fixture.NewContext(_fixture.NewState())));
        var replayed = DecisionFixture.Sync(_fixture.Pipeline.ExecuteAsync(_fixture.NewContext(_fixture.ReplayPrefix())));
        // (The recording reuses one call id for get_reservation_details and cancel_reservation: match the call itself.)
        var engine = DecisionFixture.Sync(new Replay.ReplayEngine(_fixture.Agent).ReplayAsync(_fixture.Recorded))
            .Calls.Single(c => ReferenceEquals(c.Call, _fixture.Call)).Decision;
        Expect(cheap.Decision.Kind == DecisionKind.Allow && cheap.Failure is null && cheap.Result.IsSuccess,
            $"expected {_fixture.Call.ToolName} to be allowed and succeed, got {cheap.Decision.Kind} ({cheap.Decision.Stage}/{cheap.Decision.RuleId}: {cheap.Decision.Reason})");
        Expect(cheap.Decision == replayed.Decision && cheap.Decision == engine,
            $"the cheap state decides {cheap.Decision}, the replayed prefix {replayed.Decision}, the replay engine {engine}");

        // The repeated call on one state is what the fresh state avoids: prove it would leave the allow path.
        var reused = _fixture.NewState();
        var kinds = Enumerable.Range(0, 6).Select(_ => DecisionFixture.Sync(_fixture.Pipeline.ExecuteAsync(_fixture.NewContext(reused))).Decision.Kind).ToArray();
        Expect(kinds[^1] != DecisionKind.Allow, $"a call repeated on one state should end up denied; got {string.Join(", ", kinds)}");

        // Stage benchmarks: one prepared context on the realistic state, arguments and tool filled in as the record and
        // schema stages leave them, and PriorRepeats 0 as for a first call.
        _stageContext = _fixture.NewContext(_fixture.ReplayPrefix());
        _stageContext.Tool = _fixture.Tool;
        _stageContext.Arguments = _fixture.Arguments;
        _schema = new SchemaStage();
        _policy = new PolicyStage();
        _budget = new BudgetStage();
        var loopGuard = new LoopGuardStage();
        _loopGuardThenTerminal = (context, ct) => loopGuard.InvokeAsync(context, s_terminalHandler, ct);

        Expect(SchemaStage() == s_terminal, "the schema stage should pass the call on");
        Expect(PolicyStage() == s_terminal && _stageContext.PendingDecision?.Kind == DecisionKind.Allow,
            $"the policy stage should allow, got {_stageContext.PendingDecision}");
        Expect(BudgetAndLoopGuardStages() == s_terminal, "budget and loop guard should pass the call on");
        Expect(Polly_FiveStrategies() == 1, "the Polly pipeline should return the callback's value");

        // Yardstick for the schema stage: the validation Keel did before it parsed once — the same schema in NJsonSchema, the
        // arguments parsed from text by System.Text.Json (strictness) and again by Newtonsoft, one reused validator.
        _njsonSchema = NJsonSchema.JsonSchema.FromJsonAsync(_fixture.Tool.Parameters.GetRawText()).GetAwaiter().GetResult();
        _njsonValidator = new JsonSchemaValidator();
        Expect(Yardstick_Schema_NJsonSchemaFromText() == 0 && _fixture.Tool.Validator.Validate(_fixture.Call).Count == 0, "the arguments should be valid");
        Expect(Policy_ConfirmationRuleOnly() == ConfirmationStatus.Confirmed, "the cancellation should be confirmed");
    }

    /// <summary>Yardstick: a Polly.Core pipeline of five strategies (timeout, retry, circuit breaker, fallback, timeout) around a trivial callback.</summary>
    [Benchmark(Baseline = true)]
    public int Polly_FiveStrategies() => DecisionFixture.Sync(_polly.ExecuteAsync(static _ => ValueTask.FromResult(1), CancellationToken.None));

    /// <summary>The whole chain for one call, including <see cref="FreshRunStateOnly"/>.</summary>
    [Benchmark]
    public ToolCallOutcome FullDecision_WithFreshState() =>
        DecisionFixture.Sync(_fixture.Pipeline.ExecuteAsync(_fixture.NewContext(_fixture.NewState())));

    /// <summary>What <see cref="FullDecision_WithFreshState"/> spends building the state: subtract it.</summary>
    [Benchmark]
    public RunState FreshRunStateOnly() => _fixture.NewState();

    /// <summary>Schema stage: catalog lookup and JsonSchema.Net validation of the parsed arguments.</summary>
    [Benchmark]
    public ToolCallOutcome SchemaStage() => DecisionFixture.Sync(_schema.InvokeAsync(_stageContext, s_terminalHandler, CancellationToken.None));

    /// <summary>Policy stage: the six tau-airline rules that apply to <c>cancel_reservation</c> (CEL and confirmation).</summary>
    [Benchmark]
    public ToolCallOutcome PolicyStage() => DecisionFixture.Sync(_policy.InvokeAsync(_stageContext, s_terminalHandler, CancellationToken.None));

    /// <summary>Part of the schema stage: JsonSchema.Net's evaluation of the call's already parsed arguments.</summary>
    [Benchmark]
    public int Schema_ValidateParsedOnly() => _fixture.Tool.Validator.Validate(_fixture.Call).Count;

    /// <summary>Yardstick: how the schema stage validated before arguments were parsed once — a strict System.Text.Json parse,
    /// a Newtonsoft parse and NJsonSchema 10.7.2 with one reused validator, all from the text.</summary>
    [Benchmark]
    public int Yardstick_Schema_NJsonSchemaFromText()
    {
        using (System.Text.Json.JsonDocument.Parse(_fixture.Call.ArgumentsJson))
        {
        }

        return _njsonValidator.Validate(JToken.Parse(_fixture.Call.ArgumentsJson), _njsonSchema).Count;
    }

    /// <summary>Part of the policy stage: the <c>confirmation_required</c> rule's <see cref="ConfirmationDetector"/>.</summary>
    [Benchmark]
    public ConfirmationStatus Policy_ConfirmationRuleOnly() => ConfirmationDetector.Find(_stageContext.State.Conversation, _fixture.Call.ToolName, _fixture.Arguments);

    /// <summary>Budget stage then loop guard stage.</summary>
    [Benchmark]
    public ToolCallOutcome BudgetAndLoopGuardStages() => DecisionFixture.Sync(_budget.InvokeAsync(_stageContext, _loopGuardThenTerminal, CancellationToken.None));

    /// <summary>Part of the record stage: parse the arguments (System.Text.Json) and build the call fingerprint (canonical JSON).</summary>
    [Benchmark]
    public string RecordStage_ParseAndFingerprint()
    {
        return _fixture.Call.TryParseArguments(out var arguments, out var error)
            ? _fixture.Call.ToolName + "\u001f" + CanonicalJson.Write(arguments)
            : throw new InvalidOperationException(error);
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("DecisionBenchmarks setup: " + message);
        }
    }
}

/// <summary>The Polly.Core yardstick: five strategies, none of which fires for a callback that returns at once.</summary>
internal static class PollyYardstick
{
    public static ResiliencePipeline<int> Build()
    {
        var handleErrors = new PredicateBuilder<int>().Handle<InvalidOperationException>();
        return new ResiliencePipelineBuilder<int>()
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(30) })
            .AddRetry(new RetryStrategyOptions<int> { ShouldHandle = handleErrors, MaxRetryAttempts = 3, Delay = TimeSpan.FromMilliseconds(200), UseJitter = true, BackoffType = DelayBackoffType.Exponential })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<int> { ShouldHandle = handleErrors, FailureRatio = 0.5, MinimumThroughput = 10, SamplingDuration = TimeSpan.FromSeconds(30) })
            .AddFallback(new FallbackStrategyOptions<int> { ShouldHandle = handleErrors, FallbackAction = static _ => Outcome.FromResultAsValueTask(-1) })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(5) })
            .Build();
    }
}
