using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Retail;

public sealed class RetailLookupToolsTests
{
    [Fact]
    public void FindUserIdByEmail_DifferentCase_AnswersPlainUserId() =>
        Tau.Retail().Call("find_user_id_by_email", """{"email": "Noah.Brown7922@Example.com"}""").Text.ShouldBe("noah_brown_6181");

    [Fact]
    public void FindUserIdByEmail_Unknown_IsNotFound() =>
        Tau.Retail().Call("find_user_id_by_email", """{"email": "nobody@example.com"}""").ShouldFailWith("Error: user not found");

    [Fact]
    public void FindUserIdByNameZip_NameAnyCaseAndZip_AnswersUserId() =>
        Tau.Retail().Call("find_user_id_by_name_zip", """{"first_name": "ethan", "last_name": "LOPEZ", "zip": "43275"}""").Text.ShouldBe("ethan_lopez_6291");

    [Fact]
    public void FindUserIdByNameZip_WrongZip_IsNotFound() =>
        Tau.Retail().Call("find_user_id_by_name_zip", """{"first_name": "Ethan", "last_name": "Lopez", "zip": "00000"}""").ShouldFailWith("Error: user not found");

    [Fact]
    public void GetOrderDetails_Known_AnswersOrderWithStatus() =>
        Tau.Retail().Call("get_order_details", """{"order_id": "#W2611340"}""").Object()["status"]!.GetValue<string>().ShouldBe("processed");

    [Fact]
    public void GetOrderDetails_WithoutHash_IsNotFound() =>
        Tau.Retail().Call("get_order_details", """{"order_id": "W2611340"}""").ShouldFailWith("Error: order not found");

    [Fact]
    public void GetProductDetails_ItemIdInsteadOfProductId_IsNotFound() =>
        Tau.Retail().Call("get_product_details", """{"product_id": "6469567736"}""").ShouldFailWith("Error: product not found");

    [Fact]
    public void GetProductDetails_Known_AnswersVariantsWithPrices() =>
        Tau.Retail().Call("get_product_details", """{"product_id": "9523456873"}""").Object()["variants"]!["9612497925"]!["price"]!.GetValue<double>().ShouldBe(50.88);

    [Fact]
    public void GetUserDetails_Unknown_IsNotFound() =>
        Tau.Retail().Call("get_user_details", """{"user_id": "nobody_1"}""").ShouldFailWith("Error: user not found");

    [Fact]
    public void ListAllProductTypes_NoArguments_AnswersFiftyNamesSortedOrdinally()
    {
        var products = Tau.Retail().Call("list_all_product_types", "{}").Object();
        products.Count.ShouldBe(50);
        products.Select(p => p.Key).ShouldBe(products.Select(p => p.Key).Order(StringComparer.Ordinal));
        products["T-Shirt"]!.GetValue<string>().ShouldBe("9523456873");
    }
}
