using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Shared;

public sealed class GenericToolsTests
{
    [Theory]
    [InlineData("152 + 103", "255.0")]
    [InlineData("(350 - 122) * 2 + (499 - 127) * 2", "1200.0")]
    [InlineData("1 / 3", "0.33")]
    [InlineData("10 / 4", "2.5")]
    [InlineData("0.1 + 0.2", "0.3")]
    [InlineData("2.675 * 1", "2.67")]
    [InlineData("-2 ** 2", "-4.0")]
    [InlineData("2 ** -1", "0.5")]
    [InlineData("2 ** 3 ** 2", "512.0")]
    [InlineData("-7 // 2", "-4.0")]
    [InlineData("-7.0 // 2", "-4.0")]
    [InlineData(" 1.5 + .5", "2.0")]
    [InlineData("10 ** 20 / 10 ** 18", "100.0")]
    public void Calculate_Expression_AnswersPythonRoundedFloat(string expression, string expected) =>
        Tau.Airline().Call("calculate", $$"""{"expression": "{{expression}}"}""").Text.ShouldBe(expected);

    [Theory]
    [InlineData("2 + x", "Error: invalid characters in expression")]
    [InlineData("1e5", "Error: invalid characters in expression")]
    [InlineData("1 / 0", "Error: division by zero")]
    [InlineData("1.0 / 0", "Error: float division by zero")]
    [InlineData("1 // 0", "Error: integer division or modulo by zero")]
    [InlineData("0 ** -1", "Error: 0.0 cannot be raised to a negative power")]
    [InlineData("(1 + 2", "Error: '(' was never closed (<string>, line 1)")]
    [InlineData("1 + 2)", "Error: unmatched ')' (<string>, line 1)")]
    [InlineData("1 +", "Error: invalid syntax (<string>, line 1)")]
    [InlineData("", "Error: invalid syntax (<string>, line 1)")]
    [InlineData("007", "Error: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)")]
    [InlineData("10 ** 400 * 1.0", "Error: int too large to convert to float")]
    public void Calculate_BadExpression_AnswersPythonError(string expression, string expected) =>
        Tau.Retail().Call("calculate", $$"""{"expression": "{{expression}}"}""").ShouldFailWith(expected);

    [Fact]
    public void Think_Thought_AnswersEmptyText()
    {
        var outcome = Tau.Airline().Call("think", """{"thought": "the user is gold"}""");
        outcome.Text.ShouldBe(string.Empty);
        outcome.IsError.ShouldBeFalse();
    }

    [Fact]
    public void TransferToHumanAgents_Summary_AnswersTransferSuccessful() =>
        Tau.Retail().Call("transfer_to_human_agents", """{"summary": "wants a refund to a new card"}""").Text.ShouldBe("Transfer successful");
}
