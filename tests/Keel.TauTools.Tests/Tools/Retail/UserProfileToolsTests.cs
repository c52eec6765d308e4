using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Retail;

public sealed class UserProfileToolsTests
{
    [Fact]
    public void ModifyUserAddress_KnownUser_ReplacesDefaultAddress()
    {
        var toolbox = Tau.Retail();
        toolbox.Call("modify_user_address", """{"user_id": "noah_brown_6181", "address1": "9 Elm St", "address2": "Apt 2", "city": "Boston", "state": "MA", "country": "USA", "zip": "02108"}""").IsError.ShouldBeFalse();
        toolbox.Call("find_user_id_by_name_zip", """{"first_name": "Noah", "last_name": "Brown", "zip": "02108"}""").Text.ShouldBe("noah_brown_6181");
    }

    [Fact]
    public void ModifyUserAddress_UnknownUser_IsNotFound() =>
        Tau.Retail().Call("modify_user_address", """{"user_id": "nobody_1", "address1": "9 Elm St", "address2": "", "city": "Boston", "state": "MA", "country": "USA", "zip": "02108"}""")
            .ShouldFailWith("Error: user not found");
}
