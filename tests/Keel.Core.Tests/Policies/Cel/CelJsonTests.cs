using System.Text.Json;
using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelJsonTests
{
    private static readonly JsonElement Order = Cel.Json("""
        {
          "id": "ORD-1",
          "total": 120.5,
          "count": 3,
          "big": 12345678901234567890,
          "whole": 2.0,
          "paid": true,
          "note": null,
          "customer": { "name": "Ada", "tier": "gold", "address": { "country": "FR" } },
          "items": [
            { "sku": "A", "qty": 1, "price": 20 },
            { "sku": "B", "qty": 2, "price": 50.25 }
          ],
          "tags": ["priority", "gift"]
        }
        """);

    [Theory]
    [InlineData("o.id", "ORD-1")]
    [InlineData("o.customer.name", "Ada")]
    [InlineData("o.customer.address.country", "FR")]
    [InlineData("o['customer']['tier']", "gold")]
    [InlineData("o.items[1].sku", "B")]
    [InlineData("o.tags[0]", "priority")]
    public void Evaluate_NestedJsonString_ReturnsString(string source, string expected) =>
        Cel.Eval(source, ("o", Order)).ShouldBe(expected);

    [Fact]
    public void Evaluate_JsonNumbers_AreIntWhenIntegralElseDouble()
    {
        Cel.Eval("o.count", ("o", Order)).ShouldBe(3L);
        Cel.Eval("o.total", ("o", Order)).ShouldBe(120.5);
        Cel.Eval("o.items[0].price", ("o", Order)).ShouldBe(20L);
        Cel.Eval("o.whole", ("o", Order)).ShouldBe(2.0);
        Cel.Eval("o.big", ("o", Order)).ShouldBe(12345678901234567890.0);
        Cel.Eval("o.count * 2", ("o", Order)).ShouldBe(6L);
        Cel.Eval("o.whole == 2 && o.count == 3.0", ("o", Order)).ShouldBe(true);
    }

    [Fact]
    public void Evaluate_JsonBoolAndNull_MapToCelValues()
    {
        Cel.Eval("o.paid", ("o", Order)).ShouldBe(true);
        Cel.Eval("o.note == null", ("o", Order)).ShouldBe(true);
    }

    [Fact]
    public void Evaluate_JsonObjectOrArray_ReturnsJsonElement()
    {
        Cel.Eval("o.customer", ("o", Order)).ShouldBeOfType<JsonElement>().GetProperty("tier").GetString().ShouldBe("gold");
        Cel.Eval("o.tags", ("o", Order)).ShouldBeOfType<JsonElement>().GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public void Evaluate_MissingJsonKey_ReturnsNoSuchKey()
    {
        Cel.ErrorOf("o.customer.email", ("o", Order)).ShouldBe("no such key: 'email'");
        Cel.ErrorOf("o['nope']", ("o", Order)).ShouldBe("no such key: 'nope'");
        Cel.ErrorOf("o.items[5]", ("o", Order)).ShouldBe("index out of range: 5 (list size 2)");
        Cel.ErrorOf("o.items[-1]", ("o", Order)).ShouldBe("index out of range: -1 (list size 2)");
    }

    [Fact]
    public void Evaluate_SelectOnJsonScalarOrNull_ReturnsNoSuchOverload()
    {
        Cel.ErrorOf("o.id.value", ("o", Order)).ShouldBe("no such overload: cannot select field 'value' from string");
        Cel.ErrorOf("o.note.value", ("o", Order)).ShouldBe("no such overload: cannot select field 'value' from null");
        Cel.ErrorOf("o.tags.first", ("o", Order)).ShouldBe("no such overload: cannot select field 'first' from list");
        Cel.ErrorOf("o.tags['x']", ("o", Order)).ShouldBe("no such overload: list[string] (list indexes are ints)");
    }

    [Fact]
    public void Evaluate_JsonCollections_WorkWithFunctionsAndMacros()
    {
        Cel.Eval("size(o.items) == 2 && o.tags.size() == 2 && size(o.customer) == 3", ("o", Order)).ShouldBe(true);
        Cel.Eval("'gift' in o.tags && !('sale' in o.tags)", ("o", Order)).ShouldBe(true);
        Cel.Eval("'tier' in o.customer", ("o", Order)).ShouldBe(true);
        Cel.Eval("o.items.all(i, i.qty > 0) && o.items.exists(i, i.sku == 'B')", ("o", Order)).ShouldBe(true);
        Cel.Eval("o.items.map(i, i.qty * i.price).sum()", ("o", Order)).ShouldBe(120.5);
        Cel.Eval("o.customer.all(k, k.size() >= 4)", ("o", Order)).ShouldBe(true);
        Cel.Eval("has(o.customer.tier) && !has(o.customer.email)", ("o", Order)).ShouldBe(true);
        Cel.Eval("o.tags.indexOf('gift')", ("o", Order)).ShouldBe(1L);
    }

    [Fact]
    public void Evaluate_JsonComparedWithLiterals_UsesCelEquality()
    {
        Cel.Eval("o.tags == ['priority', 'gift']", ("o", Order)).ShouldBe(true);
        Cel.Eval("o.customer.address == {'country': 'FR'}", ("o", Order)).ShouldBe(true);
        Cel.Eval("o.customer.address == {'country': 'DE'}", ("o", Order)).ShouldBe(false);
        Cel.Eval("o.tags + ['x'] == ['priority', 'gift', 'x']", ("o", Order)).ShouldBe(true);
    }

    [Fact]
    public void Evaluate_JsonDocumentAndRootArray_AreAccepted()
    {
        using JsonDocument document = JsonDocument.Parse("""[{"a": 1}, {"a": 2}]""");
        Cel.Eval("rows.exists(r, r.a == 2)", ("rows", document)).ShouldBe(true);
        Cel.Eval("rows[1].a", ("rows", document.RootElement)).ShouldBe(2L);
    }

    [Fact]
    public void Evaluate_JsonNumberBeyondDouble_IsInfinity() =>
        Cel.Eval("o.n > 1e308", ("o", Cel.Json("""{"n": 1e400}"""))).ShouldBe(true);

    [Fact]
    public void Evaluate_ClrMapHoldingJson_ReadsThrough()
    {
        var facts = new Dictionary<string, object?> { ["order"] = Order };
        Cel.Eval("facts.order.customer.tier == 'gold'", ("facts", facts)).ShouldBe(true);
    }
}
