using Keel.Model;

namespace Keel.Backtest;

/// <summary>One recorded tool call whose decision differs between the released and the draft version.</summary>
/// <param name="RunId">The run.</param>
/// <param name="CallIndex">0-based index of the call among the run's governed calls.</param>
/// <param name="Tool">The tool.</param>
/// <param name="Arguments">The call's arguments as recorded, cut to <see cref="BacktestJob.ArgumentsExcerptLength"/> characters.</param>
/// <param name="Old">The released version's decision kind.</param>
/// <param name="New">The draft's decision kind.</param>
/// <param name="Change"><c>denied</c> (now denied or escalated), <c>held</c> (now held for approval or a plan), <c>let through</c>
/// (now allowed), or <c>changed</c> (another stopping decision).</param>
/// <param name="RuleId">The rule behind the change: the draft's rule when the decision is now stricter (now denied, held, or stopped
/// more strictly), the released version's rule when it is now looser (let through, or stopped less strictly, e.g. escalate → require
/// approval once the escalating rule is gone); the stage's name (e.g. <c>pipeline</c>) when a stage other than a rule decided.</param>
/// <param name="Reason">That rule's reason.</param>
/// <param name="Label">What the labels say about the call: <c>expected write</c>, <c>unexpected write</c>, or <see langword="null"/>.</param>
public sealed record DecisionChange(string RunId, int CallIndex, string Tool, string Arguments, DecisionKind Old, DecisionKind New, string Change, string RuleId, string Reason, string? Label);

/// <summary>The decision diff of one rule.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Denied">Calls the draft now denies or escalates.</param>
/// <param name="Held">Calls the draft now holds.</param>
/// <param name="LetThrough">Calls the draft now allows.</param>
/// <param name="Changed">Other changes between stopping decisions.</param>
/// <param name="Examples">Up to <see cref="BacktestJob.ExamplesPerRule"/> changes, in run order.</param>
public sealed record RuleDiff(string RuleId, int Denied, int Held, int LetThrough, int Changed, IReadOnlyList<DecisionChange> Examples);
