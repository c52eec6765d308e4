namespace Keel.Provenance;

/// <summary>One normalized value found in text or in a tool argument: what provenance is matched on, rather than whole strings.</summary>
/// <param name="Kind">What it is: <c>iban</c>, <c>email</c>, <c>url</c>, <c>phone</c>, <c>date</c>, <c>day</c>, <c>time</c>, <c>amount</c>, <c>file</c>, <c>id</c> or <c>text</c> (a whole short string).</param>
/// <param name="Value">The normalized form, e.g. <c>GB29NWBK60161331926819</c> (spaces removed, upper case), <c>jay@google.com</c> (lower case),
/// <c>my-website-234.com/random</c> (no scheme, no <c>www.</c>, no trailing slash), <c>2024-05-01</c>, <c>30000</c>.</param>
public readonly record struct ValueAtom(string Kind, string Value)
{
    /// <summary>The dictionary key: kind and value.</summary>
    public string Key => Kind + ":" + Value;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{Value}'";
}
