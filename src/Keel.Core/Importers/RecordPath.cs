using System.Globalization;
using System.Text;

namespace Keel.Importers;

/// <summary>
/// A JSONPath inside a run file, kept as parts and formatted only when an error needs it, e.g.
/// <c>$[12].traj[4].tool_calls[0].function</c> or <c>$.simulations[3].messages[7]</c>.
/// </summary>
/// <param name="Root">The array holding the records: <c>$</c> or <c>$.simulations</c>.</param>
/// <param name="Index">0-based index in <paramref name="Root"/>, or -1 when <paramref name="Root"/> is not an array (e.g. <c>$.info</c>).</param>
/// <param name="Child">A nested array, e.g. <c>traj</c> or <c>messages</c>; <see langword="null"/> when none.</param>
/// <param name="ChildIndex">0-based index in <paramref name="Child"/>.</param>
/// <param name="Grandchild">An array nested in the child item, e.g. <c>tool_calls</c>; <see langword="null"/> when none.</param>
/// <param name="GrandchildIndex">0-based index in <paramref name="Grandchild"/>.</param>
/// <param name="Tail">A property path below the deepest index, e.g. <c>function</c>; <see langword="null"/> when none.</param>
internal readonly record struct RecordPath(
    string Root,
    int Index,
    string? Child = null,
    int ChildIndex = 0,
    string? Grandchild = null,
    int GrandchildIndex = 0,
    string? Tail = null)
{
    /// <summary>The path of an item of an array below this one (the child, or the grandchild when a child is set).</summary>
    /// <param name="array">The array's property path, e.g. <c>traj</c>.</param>
    /// <param name="index">0-based item index.</param>
    /// <returns>The item's path.</returns>
    public RecordPath Item(string array, int index) => Child is null
        ? this with { Child = Combine(Tail, array), ChildIndex = index, Tail = null }
        : this with { Grandchild = Combine(Tail, array), GrandchildIndex = index, Tail = null };

    /// <summary>The path of a property below this one.</summary>
    /// <param name="property">The property path, e.g. <c>function</c> or <c>info.task</c>.</param>
    /// <returns>The property's path.</returns>
    public RecordPath Then(string property) => this with { Tail = Combine(Tail, property) };

    /// <summary>Formats the path of a property below this one.</summary>
    /// <param name="property">The property name, or <see langword="null"/> for this path itself.</param>
    /// <returns>The JSONPath text.</returns>
    public string Format(string? property)
    {
        var text = new StringBuilder(Root);
        if (Index >= 0)
        {
            text.Append('[').Append(Index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        if (Child is not null)
        {
            text.Append('.').Append(Child).Append('[').Append(ChildIndex.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        if (Grandchild is not null)
        {
            text.Append('.').Append(Grandchild).Append('[').Append(GrandchildIndex.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        var tail = Combine(Tail, property);
        return tail is null ? text.ToString() : text.Append('.').Append(tail).ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format(null);

    private static string? Combine(string? head, string? tail) =>
        head is null ? tail : tail is null ? head : head + "." + tail;
}
