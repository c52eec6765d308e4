using System.Globalization;
using System.Numerics;

namespace Keel.TauTools.Tools.Shared;

/// <summary>
/// Evaluates the arithmetic that tau-bench's <c>calculate</c> tool hands to Python's <c>eval</c>: numbers, <c>+ - * /
/// // **</c>, unary signs and parentheses, with Python's int (unbounded) and float (double) semantics and its error texts.
/// </summary>
/// <remarks>
/// Grammar and precedence follow Python's expression grammar restricted to the characters <c>0123456789+-*/(). </c>:
/// <c>**</c> binds tighter than a unary sign on its left and is right-associative (<c>-2**2</c> is −4, <c>2**-1</c> is 0.5);
/// <c>/</c> is true division (always a float); <c>//</c> floors. Errors carry CPython 3.11's texts (<c>division by
/// zero</c>, <c>float division by zero</c>, <c>integer division or modulo by zero</c>, <c>float floor division by
/// zero</c>, <c>0.0 cannot be raised to a negative power</c>, <c>int too large to convert to float</c>); every syntax error
/// is <c>invalid syntax (&lt;string&gt;, line 1)</c> except an unclosed or unmatched parenthesis. Not supported, reported as
/// invalid syntax: <c>...</c> (Ellipsis) and <c>()</c> (the empty tuple), on which Python fails later with a TypeError.
/// An int power above 1,000,000 bits is refused (<c>exponent too large</c>). Stateless and thread-safe.
/// </remarks>
internal sealed class PyArithmetic
{
    private const int MaxPowerBits = 1_000_000;
    private readonly string _text;
    private int _position;

    private PyArithmetic(string text) => _text = text;

    /// <summary>Evaluates an expression.</summary>
    /// <param name="expression">The expression, only characters <c>0123456789+-*/(). </c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>Null on success; otherwise Python's error text, without the <c>Error: </c> prefix.</returns>
    public static string? TryEvaluate(string expression, out PyValue value)
    {
        var parser = new PyArithmetic(expression);
        value = default;
        try
        {
            parser.SkipSpaces();
            if (parser.AtEnd)
            {
                return "invalid syntax (<string>, line 1)";
            }

            value = parser.Sum();
            parser.SkipSpaces();
            return parser.AtEnd ? null : parser.Peek() == ')' ? "unmatched ')' (<string>, line 1)" : "invalid syntax (<string>, line 1)";
        }
        catch (PyEvalException ex)
        {
            return ex.Message;
        }
    }

    private bool AtEnd => _position >= _text.Length;

    private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private void SkipSpaces()
    {
        while (!AtEnd && _text[_position] == ' ')
        {
            _position++;
        }
    }

    private bool Accept(string token)
    {
        SkipSpaces();
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }

        // "*" must not take the first half of "**", nor "/" of "//".
        if (token.Length == 1 && (token == "*" || token == "/") && Peek(1) == token[0])
        {
            return false;
        }

        _position += token.Length;
        return true;
    }

    private PyValue Sum()
    {
        var value = Product();
        while (true)
        {
            if (Accept("+"))
            {
                value = PyValue.Add(value, Product());
            }
            else if (Accept("-"))
            {
                value = PyValue.Subtract(value, Product());
            }
            else
            {
                return value;
            }
        }
    }

    private PyValue Product()
    {
        var value = Unary();
        while (true)
        {
            if (Accept("*"))
            {
                value = PyValue.Multiply(value, Unary());
            }
            else if (Accept("//"))
            {
                value = PyValue.FloorDivide(value, Unary());
            }
            else if (Accept("/"))
            {
                value = PyValue.Divide(value, Unary());
            }
            else
            {
                return value;
            }
        }
    }

    private PyValue Unary()
    {
        if (Accept("-"))
        {
            return PyValue.Negate(Unary());
        }

        return Accept("+") ? Unary() : Power();
    }

    private PyValue Power()
    {
        var value = Atom();
        return Accept("**") ? PyValue.Power(value, Unary(), MaxPowerBits) : value;
    }

    private PyValue Atom()
    {
        SkipSpaces();
        if (Accept("("))
        {
            SkipSpaces();
            if (AtEnd)
            {
                throw new PyEvalException("'(' was never closed (<string>, line 1)");
            }

            var inner = Sum();
            SkipSpaces();
            if (AtEnd)
            {
                throw new PyEvalException("'(' was never closed (<string>, line 1)");
            }

            return Accept(")") ? inner : throw new PyEvalException("invalid syntax (<string>, line 1)");
        }

        return Number();
    }

    private PyValue Number()
    {
        var start = _position;
        while (char.IsAsciiDigit(Peek()))
        {
            _position++;
        }

        var integerDigits = _position - start;
        var isFloat = false;
        if (Peek() == '.' && (integerDigits > 0 || char.IsAsciiDigit(Peek(1))))
        {
            isFloat = true;
            _position++;
            while (char.IsAsciiDigit(Peek()))
            {
                _position++;
            }
        }

        if (_position == start || Peek() == '.')
        {
            throw new PyEvalException("invalid syntax (<string>, line 1)");
        }

        var token = _text[start.._position];
        if (isFloat)
        {
            return PyValue.Float(double.Parse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
        }

        if (token.Length > 1 && token[0] == '0' && token.Any(c => c != '0'))
        {
            throw new PyEvalException("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)");
        }

        return PyValue.Int(BigInteger.Parse(token, CultureInfo.InvariantCulture));
    }
}

/// <summary>A Python error raised while evaluating; its message is Python's text.</summary>
internal sealed class PyEvalException : Exception
{
    public PyEvalException()
    {
    }

    public PyEvalException(string message)
        : base(message)
    {
    }

    public PyEvalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
