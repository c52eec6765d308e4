using System.Text.Json;

namespace Keel.Policies.Cel;

/// <summary>
/// Walks the elements of a list or the keys of a map, whether it is a CLR collection or a
/// <see cref="JsonElement"/>, without boxing an enumerator for lists and JSON.
/// </summary>
/// <remarks>A mutable struct: keep it in a local variable and call <see cref="Dispose"/> when done.</remarks>
internal struct CelRangeEnumerator : IDisposable
{
    private readonly IReadOnlyList<object?>? _list;
    private readonly IEnumerator<string>? _keys;
    private JsonElement.ArrayEnumerator _array;
    private JsonElement.ObjectEnumerator _object;
    private readonly RangeKind _kind;
    private int _index;

    private CelRangeEnumerator(RangeKind kind, IReadOnlyList<object?>? list, IEnumerator<string>? keys, JsonElement element)
    {
        _kind = kind;
        _list = list;
        _keys = keys;
        _index = -1;
        if (kind == RangeKind.JsonArray)
        {
            _array = element.EnumerateArray();
        }
        else if (kind == RangeKind.JsonObject)
        {
            _object = element.EnumerateObject();
        }
    }

    private enum RangeKind
    {
        List,
        MapKeys,
        JsonArray,
        JsonObject,
    }

    /// <summary>Starts walking <paramref name="range"/>; false if it is neither a list nor a map.</summary>
    public static bool TryCreate(object? range, out CelRangeEnumerator enumerator)
    {
        switch (range)
        {
            case IReadOnlyList<object?> list:
                enumerator = new(RangeKind.List, list, null, default);
                return true;
            case IReadOnlyDictionary<string, object?> map:
                enumerator = new(RangeKind.MapKeys, null, map.Keys.GetEnumerator(), default);
                return true;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                enumerator = new(RangeKind.JsonArray, null, null, array);
                return true;
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                enumerator = new(RangeKind.JsonObject, null, null, obj);
                return true;
            default:
                enumerator = default;
                return false;
        }
    }

    /// <summary>Moves to the next element (lists) or key (maps), normalized to a CEL value.</summary>
    public bool MoveNext(out object? item)
    {
        switch (_kind)
        {
            case RangeKind.List:
                if (++_index < _list!.Count)
                {
                    item = CelValue.Normalize(_list[_index]);
                    return true;
                }

                break;
            case RangeKind.MapKeys:
                if (_keys!.MoveNext())
                {
                    item = _keys.Current;
                    return true;
                }

                break;
            case RangeKind.JsonArray:
                if (_array.MoveNext())
                {
                    item = CelValue.FromJson(_array.Current);
                    return true;
                }

                break;
            case RangeKind.JsonObject:
                if (_object.MoveNext())
                {
                    item = _object.Current.Name;
                    return true;
                }

                break;
        }

        item = null;
        return false;
    }

    /// <inheritdoc />
    public readonly void Dispose() => _keys?.Dispose();
}
