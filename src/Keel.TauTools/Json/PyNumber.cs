using System.Globalization;
using System.Text.Json.Nodes;

namespace Keel.TauTools.Json;

/// <summary>
/// A JSON number with Python's semantics: an <c>int</c> (64-bit here) or a <c>float</c> (IEEE 754 double), kept apart
/// the way Python's <c>json</c> module keeps them apart (<c>250</c> is an int, <c>250.0</c> a float).
/// </summary>
/// <remarks>
/// tau-bench's reference tools add, compare and print such numbers, and their text depends on the kind: an error such as
/// "total price is 305, but paid 255.0" prints a float sum the way Python's <c>str()</c> does. Arithmetic follows Python:
/// int op int stays int (an overflow of 64 bits throws <see cref="OverflowException"/>, where Python would grow the
/// integer; the databases and tool arguments stay far below that), any float operand makes the result a float; comparisons
/// between an int and a float are exact. Immutable.
/// </remarks>
public readonly struct PyNumber : IEquatable<PyNumber>, IComparable<PyNumber>
{
    private const long MaxExactInDouble = 1L << 53;

    private readonly long _int;
    private readonly double _float;

    private PyNumber(long value)
    {
        _int = value;
        IsFloat = false;
    }

    private PyNumber(double value)
    {
        _float = value;
        IsFloat = true;
    }

    /// <summary>Gets whether this is a Python <c>float</c> (otherwise an <c>int</c>).</summary>
    public bool IsFloat { get; }

    /// <summary>Gets the value as a double (exact for an int of at most 2^53 in magnitude).</summary>
    public double AsDouble => IsFloat ? _float : _int;

    /// <summary>The int zero, the start value of Python's <c>sum()</c>.</summary>
    public static PyNumber Zero => new(0L);

    /// <summary>Creates a Python <c>int</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number.</returns>
    public static PyNumber OfInt(long value) => new(value);

    /// <summary>Creates a Python <c>float</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number.</returns>
    public static PyNumber OfFloat(double value) => new(value);

    /// <summary>Adds like Python's <c>+</c>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The sum.</returns>
    public static PyNumber operator +(PyNumber left, PyNumber right) =>
        left.IsFloat || right.IsFloat ? new(left.AsDouble + right.AsDouble) : new(checked(left._int + right._int));

    /// <summary>Subtracts like Python's <c>-</c>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The difference.</returns>
    public static PyNumber operator -(PyNumber left, PyNumber right) =>
        left.IsFloat || right.IsFloat ? new(left.AsDouble - right.AsDouble) : new(checked(left._int - right._int));

    /// <summary>Multiplies like Python's <c>*</c>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The product.</returns>
    public static PyNumber operator *(PyNumber left, PyNumber right) =>
        left.IsFloat || right.IsFloat ? new(left.AsDouble * right.AsDouble) : new(checked(left._int * right._int));

    /// <summary>Negates like Python's unary <c>-</c> (a float zero becomes <c>-0.0</c>).</summary>
    /// <param name="value">The operand.</param>
    /// <returns>The negation.</returns>
    public static PyNumber operator -(PyNumber value) => value.IsFloat ? new(-value._float) : new(checked(-value._int));

    /// <summary>Python's <c>&lt;</c>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether left is less than right (false when either is NaN).</returns>
    public static bool operator <(PyNumber left, PyNumber right) => Compare(left, right) is { } c && c < 0;

    /// <summary>Python's <c>&gt;</c>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether left is greater than right (false when either is NaN).</returns>
    public static bool operator >(PyNumber left, PyNumber right) => Compare(left, right) is { } c && c > 0;

    /// <summary>Python's <c>&lt;=</c>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether left is at most right (false when either is NaN).</returns>
    public static bool operator <=(PyNumber left, PyNumber right) => Compare(left, right) is { } c && c <= 0;

    /// <summary>Python's <c>&gt;=</c>.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether left is at least right (false when either is NaN).</returns>
    public static bool operator >=(PyNumber left, PyNumber right) => Compare(left, right) is { } c && c >= 0;

    /// <summary>Python's <c>==</c> between numbers: <c>1 == 1.0</c> is true.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether the values are equal.</returns>
    public static bool operator ==(PyNumber left, PyNumber right) => Compare(left, right) == 0;

    /// <summary>Python's <c>!=</c> between numbers.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>Whether the values differ (true when either is NaN).</returns>
    public static bool operator !=(PyNumber left, PyNumber right) => Compare(left, right) != 0;

    /// <summary>Python's <c>max(a, b)</c>: the first argument unless the second is greater, so <c>max(0, 0.0)</c> is the int 0.</summary>
    /// <param name="first">The first argument.</param>
    /// <param name="second">The second argument.</param>
    /// <returns>The larger value.</returns>
    public static PyNumber Max(PyNumber first, PyNumber second) => second > first ? second : first;

    /// <summary>Python's <c>abs()</c>.</summary>
    /// <returns>The magnitude, of the same kind.</returns>
    public PyNumber Abs() => IsFloat ? new(Math.Abs(_float)) : new(checked(Math.Abs(_int)));

    /// <summary>Python's <c>round(x, digits)</c>: an int is returned unchanged; a float is rounded half-to-even on its exact binary value.</summary>
    /// <param name="digits">Decimal places, 0 to 15.</param>
    /// <returns>The rounded number, of the same kind.</returns>
    public PyNumber Round(int digits) => IsFloat ? new(PyFloat.Round(_float, digits)) : this;

    /// <summary>Python's <c>str()</c> of the number: <c>305</c>, <c>255.0</c>, <c>1e-05</c>, <c>inf</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => IsFloat ? PyFloat.Repr(_float) : _int.ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates a JSON node holding this number with its kind (a <c>long</c> or a <c>double</c> value node).</summary>
    /// <returns>The node.</returns>
    public JsonValue ToNode() => IsFloat ? JsonValue.Create(_float) : JsonValue.Create(_int);

    /// <inheritdoc />
    public bool Equals(PyNumber other) => this == other;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PyNumber other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => AsDouble.GetHashCode();

    /// <summary>Orders numbers by value; NaN sorts first.</summary>
    /// <param name="other">The other number.</param>
    /// <returns>Negative, zero or positive.</returns>
    public int CompareTo(PyNumber other) => Compare(this, other) ?? (double.IsNaN(AsDouble) ? (double.IsNaN(other.AsDouble) ? 0 : -1) : 1);

    private static int? Compare(PyNumber left, PyNumber right)
    {
        if (!left.IsFloat && !right.IsFloat)
        {
            return left._int.CompareTo(right._int);
        }

        if (!left.IsFloat)
        {
            return -Compare(right, left);
        }

        // left is a float.
        var l = left._float;
        if (double.IsNaN(l) || (right.IsFloat && double.IsNaN(right._float)))
        {
            return null;
        }

        if (right.IsFloat || right._int is >= -MaxExactInDouble and <= MaxExactInDouble)
        {
            return l.CompareTo(right.AsDouble);
        }

        // A large int against a float: compare the float's integer part exactly, then its fraction.
        if (double.IsInfinity(l) || Math.Abs(l) >= 9.3e18)
        {
            return l > 0 ? 1 : -1;
        }

        var whole = (long)Math.Truncate(l);
        var c = whole.CompareTo(right._int);
        return c != 0 ? c : (l - whole).CompareTo(0.0);
    }
}
