using Keel.TauTools.Json;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Json;

public sealed class PyFloatTests
{
    [Theory]
    [InlineData(255.0, "255.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-22.269999999999982, "-22.269999999999982")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NaN, "nan")]
    public void Repr_Value_PrintsLikePython(double value, string expected) => PyFloat.Repr(value).ShouldBe(expected);

    [Theory]
    [InlineData(2.675, 2.67)] // 2.675 is 2.67499999... in binary
    [InlineData(0.125, 0.12)] // an exact tie: half to even
    [InlineData(0.375, 0.38)]
    [InlineData(1.005, 1.0)]
    [InlineData(19.210000000000036, 19.21)]
    [InlineData(-22.269999999999982, -22.27)]
    [InlineData(4128.45, 4128.45)]
    public void Round_TwoDigits_RoundsExactBinaryValueHalfToEven(double value, double expected) =>
        PyFloat.Round(value, 2).ShouldBe(expected);
}
