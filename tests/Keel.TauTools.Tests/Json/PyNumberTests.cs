using Keel.TauTools.Json;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Json;

public sealed class PyNumberTests
{
    [Fact]
    public void Add_IntAndFloat_GivesFloat()
    {
        var sum = PyNumber.OfInt(250) + PyNumber.OfFloat(5);
        sum.IsFloat.ShouldBeTrue();
        sum.ToString().ShouldBe("255.0");
    }

    [Fact]
    public void Add_Ints_StaysInt() => (PyNumber.OfInt(250) + PyNumber.OfInt(55)).ToString().ShouldBe("305");

    [Fact]
    public void Equality_IntAndEqualFloat_AreEqual() => (PyNumber.OfInt(305) == PyNumber.OfFloat(305.0)).ShouldBeTrue();

    [Fact]
    public void Max_EqualIntAndFloat_KeepsFirstArgument() => PyNumber.Max(PyNumber.Zero, PyNumber.OfFloat(0.0)).IsFloat.ShouldBeFalse();

    [Fact]
    public void Compare_LargeIntAgainstFloat_IsExact()
    {
        var big = PyNumber.OfInt((1L << 53) + 1);
        (big > PyNumber.OfFloat(9007199254740992.0)).ShouldBeTrue();
    }

    [Fact]
    public void Round_Int_StaysInt() => PyNumber.OfInt(49).Round(2).ToString().ShouldBe("49");

    [Fact]
    public void Negate_FloatZero_IsNegativeZero() => (-PyNumber.OfFloat(0)).ToString().ShouldBe("-0.0");
}
