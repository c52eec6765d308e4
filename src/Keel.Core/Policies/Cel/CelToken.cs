namespace Keel.Policies.Cel;

/// <summary>The kinds of token the lexer produces.</summary>
internal enum CelTokenKind
{
    End,
    Int,
    Double,
    String,
    Identifier,
    True,
    False,
    Null,
    In,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Dot,
    Comma,
    Colon,
    Question,
    Not,
    Minus,
    Plus,
    Star,
    Slash,
    Percent,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
}

/// <summary>A token with its 1-based position; <see cref="Value"/> holds an int literal as ulong, a double or a string.</summary>
internal readonly record struct CelToken(CelTokenKind Kind, int Line, int Column, string Text, object? Value)
{
    private const int MaxShown = 24;

    /// <summary>Describes the token for an error message, e.g. <c>')'</c>, <c>identifier 'foo'</c>, <c>end of expression</c>.</summary>
    public string Describe() => Kind switch
    {
        CelTokenKind.End => "end of expression",
        CelTokenKind.Identifier => $"identifier '{Text}'",
        CelTokenKind.Int or CelTokenKind.Double => $"number {Text}",
        CelTokenKind.String => $"string {(Text.Length <= MaxShown ? Text : Text[..MaxShown] + "…")}",
        _ => $"'{Text}'",
    };
}
