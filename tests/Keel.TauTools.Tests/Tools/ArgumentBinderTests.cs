using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools;

public sealed class ArgumentBinderTests
{
    [Fact]
    public void Invoke_MissingRequiredArguments_AnswersPythonTypeErrorInSignatureOrder() =>
        Tau.Airline().Call("update_reservation_baggages", """{"reservation_id": "4WQ150"}""")
            .ShouldFailWith("Error: invoke() missing 3 required positional arguments: 'total_baggages', 'nonfree_baggages', and 'payment_id'");

    [Fact]
    public void Invoke_UnexpectedArgument_AnswersPythonTypeError() =>
        Tau.Airline().Call("get_user_details", """{"user_id": "mia_li_3668", "verbose": true}""")
            .ShouldFailWith("Error: invoke() got an unexpected keyword argument 'verbose'");

    [Fact]
    public void Invoke_WrongArgumentType_NamesThePath() =>
        Tau.Airline().Call("update_reservation_flights", """{"reservation_id": "4WQ150", "cabin": "economy", "flights": [{"flight_number": "HAT170", "date": 20240522}], "payment_id": "x"}""")
            .ShouldFailWith("Error: argument 'flights[0].date' must be a string");

    [Fact]
    public void Invoke_ArrayItemMissingProperty_NamesTheProperty() =>
        Tau.Airline().Call("update_reservation_passengers", """{"reservation_id": "4WQ150", "passengers": [{"first_name": "Chen", "last_name": "Jackson"}]}""")
            .ShouldFailWith("Error: argument 'passengers[0]' is missing 'dob'");

    [Fact]
    public void Invoke_UnknownTool_AnswersLikeTheReferenceEnvironment() =>
        Tau.Retail().Call("book_reservation", "{}").ShouldFailWith("Unknown action book_reservation");
}
