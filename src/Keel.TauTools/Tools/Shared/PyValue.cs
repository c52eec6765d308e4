using System.Numerics;

namespace Keel.TauTools.Tools.Shared;

/// <summary>A Python number during <see cref="PyArithmetic"/> evaluation: an unbounded int or a float, with CPython's operator rules.</summary>
/// <remarks>Sources: CPython <c>Objects/longobject.c</c> and <c>Objects/floatobject.c</c> (<c>float_floor_div</c>,
/// <c>float_pow</c>). Operations raise <see cref="PyEvalException"/> with Python's message.</remarks>
internal readonly record struct PyValue(BigInteger Integer, double Real, bool IsFloat)
{
    private const string TooLarge = "int too large to convert to float";

    public static PyValue Int(BigInteger value) => new(value, 0, false);

    public static PyValue Float(double value) => new(BigInteger.Zero, value, true);

    /// <summary>Python's <c>float(x)</c>.</summary>
    public double ToDouble()
    {
        if (IsFloat)
        {
            return Real;
        }

        var value = (double)Integer;
        return double.IsInfinity(value) ? throw new PyEvalException(TooLarge) : value;
    }

    public static PyValue Add(PyValue a, PyValue b) => a.IsFloat || b.IsFloat ? Float(a.ToDouble() + b.ToDouble()) : Int(a.Integer + b.Integer);

    public static PyValue Subtract(PyValue a, PyValue b) => a.IsFloat || b.IsFloat ? Float(a.ToDouble() - b.ToDouble()) : Int(a.Integer - b.Integer);

    public static PyValue Multiply(PyValue a, PyValue b) => a.IsFloat || b.IsFloat ? Float(a.ToDouble() * b.ToDouble()) : Int(a.Integer * b.Integer);

    public static PyValue Negate(PyValue a) => a.IsFloat ? Float(-a.Real) : Int(-a.Integer);

    /// <summary>True division <c>a / b</c>: always a float.</summary>
    public static PyValue Divide(PyValue a, PyValue b)
    {
        if (a.IsFloat || b.IsFloat)
        {
            var divisor = b.ToDouble();
            var dividend = a.ToDouble();
            return divisor == 0 ? throw new PyEvalException("float division by zero") : Float(dividend / divisor);
        }

        if (b.Integer.IsZero)
        {
            throw new PyEvalException("division by zero");
        }

        return Float(TrueDivide(a.Integer, b.Integer));
    }

    /// <summary>Floor division <c>a // b</c>.</summary>
    public static PyValue FloorDivide(PyValue a, PyValue b)
    {
        if (!a.IsFloat && !b.IsFloat)
        {
            if (b.Integer.IsZero)
            {
                throw new PyEvalException("integer division or modulo by zero");
            }

            var quotient = BigInteger.DivRem(a.Integer, b.Integer, out var remainder);
            return Int(!remainder.IsZero && (remainder.Sign < 0) != (b.Integer.Sign < 0) ? quotient - 1 : quotient);
        }

        var vx = a.ToDouble();
        var wx = b.ToDouble();
        if (wx == 0)
        {
            throw new PyEvalException("float floor division by zero");
        }

        var mod = vx % wx; // C fmod: the sign of the dividend
        var div = (vx - mod) / wx;
        if (mod != 0 && (wx < 0) != (mod < 0))
        {
            div -= 1.0;
        }

        double floor;
        if (div != 0)
        {
            floor = Math.Floor(div);
            if (div - floor > 0.5)
            {
                floor += 1.0;
            }
        }
        else
        {
            floor = Math.CopySign(0.0, vx / wx);
        }

        return Float(floor);
    }

    /// <summary>Power <c>a ** b</c>.</summary>
    public static PyValue Power(PyValue a, PyValue b, int maxBits)
    {
        if (!a.IsFloat && !b.IsFloat && b.Integer.Sign >= 0)
        {
            if (BigInteger.Abs(a.Integer) <= BigInteger.One)
            {
                // 0 ** 0 == 1, 0 ** n == 0, 1 ** n == 1, (-1) ** n == ±1: no need to multiply.
                return Int(a.Integer.IsZero ? (b.Integer.IsZero ? BigInteger.One : BigInteger.Zero) : a.Integer.IsOne || b.Integer.IsEven ? BigInteger.One : BigInteger.MinusOne);
            }

            if ((double)a.Integer.GetBitLength() * (double)b.Integer > maxBits)
            {
                throw new PyEvalException("exponent too large");
            }

            return Int(BigInteger.Pow(a.Integer, (int)b.Integer));
        }

        var x = a.ToDouble();
        var y = b.ToDouble();
        if (y == 0)
        {
            return Float(1.0);
        }

        if (x == 0 && y < 0)
        {
            throw new PyEvalException("0.0 cannot be raised to a negative power");
        }

        if (x < 0 && double.IsFinite(y) && Math.Floor(y) != y)
        {
            // Python answers a complex number here, which float() then refuses.
            throw new PyEvalException("float() argument must be a string or a real number, not 'complex'");
        }

        var result = Math.Pow(x, y);
        if (double.IsInfinity(result) && double.IsFinite(x) && double.IsFinite(y))
        {
            throw new PyEvalException("(34, 'Numerical result out of range')");
        }

        return Float(result);
    }

    /// <summary>An int quotient rounded to the nearest double, as Python's int true division is.</summary>
    private static double TrueDivide(BigInteger a, BigInteger b)
    {
        const long exact = 1L << 53;
        if (BigInteger.Abs(a) <= exact && BigInteger.Abs(b) <= exact)
        {
            return (double)a / (double)b;
        }

        // Scale so the integer quotient carries at least 64 significant bits, then scale the result back.
        var shift = (int)Math.Max(0, b.GetBitLength() - a.GetBitLength() + 66);
        var quotient = (a << shift) / b;
        var result = Math.ScaleB((double)quotient, -shift);
        return double.IsInfinity(result) ? throw new PyEvalException("integer division result too large for a float") : result;
    }
}
