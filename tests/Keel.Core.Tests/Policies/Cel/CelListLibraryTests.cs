using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelListLibraryTests
{
    [Theory]
    [InlineData("[1, 2, 3].sum()", 6L)]
    [InlineData("[].sum()", 0L)]
    [InlineData("[3, 1, 2].min()", 1L)]
    [InlineData("[3, 1, 2].max()", 3L)]
    [InlineData("[1, 2, 3, 2].indexOf(2)", 1L)]
    [InlineData("[1, 2, 3, 2].lastIndexOf(2)", 3L)]
    [InlineData("[1, 2].indexOf(5)", -1L)]
    [InlineData("['a', 'b'].indexOf('b')", 1L)]
    [InlineData("[1, 2].indexOf(2.0)", 1L)]
    public void Evaluate_ListFunction_ReturnsInt(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Theory]
    [InlineData("[1, 2.5].sum()", 3.5)]
    [InlineData("[0.5, 0.25].sum()", 0.75)]
    [InlineData("[2, 0.5].min()", 0.5)]
    public void Evaluate_ListFunctionOverDoubles_ReturnsDouble(string source, double expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_MinMaxOfStringsAndDurations_UseTheirOrder()
    {
        Cel.Eval("['pear', 'apple'].min()").ShouldBe("apple");
        Cel.Eval("[duration('1h'), duration('90m')].max()").ShouldBe(TimeSpan.FromMinutes(90));
        Cel.Eval("[duration('1h'), duration('30m')].sum()").ShouldBe(TimeSpan.FromMinutes(90));
    }

    [Theory]
    [InlineData("[].min()", "min() of an empty list")]
    [InlineData("[].max()", "max() of an empty list")]
    [InlineData("[1, 'a'].max()", "no such overload: max() of a list mixing int and string")]
    [InlineData("['a'].sum()", "no such overload: sum() of a list containing string")]
    [InlineData("[[1]].min()", "no such overload: min() of a list of list")]
    [InlineData("[9223372036854775807, 1].sum()", "integer overflow")]
    [InlineData("'abc'.sum()", "no such overload: string.sum()")]
    [InlineData("{'a': 1}.max()", "no such overload: map.max()")]
    [InlineData("5.indexOf(5)", "no such overload: int.indexOf(int)")]
    public void Evaluate_InvalidListFunction_ReturnsError(string source, string message) =>
        Cel.ErrorOf(source).ShouldBe(message);
}
