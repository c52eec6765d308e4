using Keel.Escalation;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Escalation;

/// <summary>The escalation file is linted like the policies: misspelt variables and fields, bad priorities, missing keys, with file:line:column.</summary>
public sealed class EscalationLintTests
{
    private static EscalationLoadResult Parse(string rule) => EscalationLoader.Parse($"escalation: t\nrules:\n{rule}", "escalation.yaml");

    [Fact]
    public void Parse_MisspeltVariable_IsAnErrorAtItsPositionWithASuggestion()
    {
        var result = Parse("""
              - name: upset
                when: sentimnt.compound < -0.5
                team: care
                priority: p2
            """);

        result.Policy.ShouldBeNull();
        var error = result.Diagnostics.Where(d => d.IsError).ShouldHaveSingleItem();
        error.ToString().ShouldStartWith("escalation.yaml:4:11: error: unknown variable 'sentimnt'");
        error.Message.ShouldContain("did you mean 'sentiment'?");
    }

    [Fact]
    public void Parse_MisspeltField_IsAnErrorNamingTheFields()
    {
        var result = Parse("""
              - name: upset
                when: sentiment.compund < -0.5
                team: care
                priority: p2
            """);

        var error = result.Diagnostics.Where(d => d.IsError).ShouldHaveSingleItem();
        error.Message.ShouldContain("'sentiment.compund' is not a field of 'sentiment'");
        error.Message.ShouldContain("did you mean 'compound'?");
    }

    [Fact]
    public void Parse_BadPriorityAndMissingTeam_AreErrors()
    {
        var result = Parse("""
              - name: upset
                when: sentiment.compound < -0.5
                priority: urgent
            """);

        result.Diagnostics.Where(d => d.IsError).Select(d => d.Message).ShouldSatisfyAllConditions(
            m => m.ShouldContain(x => x.Contains("'priority' must be p1, p2 or p3")),
            m => m.ShouldContain(x => x.Contains("team")));
    }

    [Fact]
    public void Parse_ActionPauseOrLeftOut_IsReadWithHandoffTheDefault()
    {
        var result = Parse("""
              - name: upset
                when: sentiment.compound < -0.5
                team: care
                priority: p2
                cite: x
                action: pause
              - name: large
                when: stakes.max_amount > 1000
                team: care
                priority: p1
                cite: x
            """);

        result.Policy.ShouldNotBeNull().Rules.Select(r => r.Action).ShouldBe([EscalationAction.Pause, EscalationAction.Handoff]);
    }

    [Fact]
    public void Parse_UnknownAction_IsAnErrorAtItsPosition()
    {
        var result = Parse("""
              - name: upset
                when: sentiment.compound < -0.5
                team: care
                priority: p2
                action: stop
            """);

        result.Policy.ShouldBeNull();
        result.Diagnostics.Where(d => d.IsError).ShouldHaveSingleItem().ToString().ShouldStartWith("escalation.yaml:7:13: error: 'action' must be pause or handoff, not 'stop'");
    }

    [Fact]
    public void Parse_ExpressionDoesNotParse_IsAnError()
    {
        var result = Parse("""
              - name: upset
                when: sentiment.compound < 
                team: care
                priority: p2
            """);

        result.HasErrors.ShouldBeTrue();
    }

    [Fact]
    public void Parse_LoopVariableOfAMacro_IsNotAnUnknownVariable()
    {
        var result = Parse("""
              - name: locked
                when: results.exists(r, r.tool == 'check_sim_status')
                team: tech
                priority: p2
                cite: a sentence
            """);

        result.HasErrors.ShouldBeFalse(string.Join("; ", result.Diagnostics));
        result.Policy!.Rules.ShouldHaveSingleItem().Name.ShouldBe("locked");
    }
}
