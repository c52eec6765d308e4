using Keel.TauTools.Data;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Data;

public sealed class TauDatabaseSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("keel-tau-db-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_FolderMissingATable_NamesTheFileAndTheExpectedTables()
    {
        File.WriteAllText(Path.Combine(_folder, "flights.json"), "{}");
        var ex = Should.Throw<TauDataException>(() => TauDatabaseSource.Load(TauDomain.Airline, _folder));
        ex.Message.ShouldContain("reservations.json");
        ex.Message.ShouldContain("flights.json, reservations.json, users.json");
    }

    [Fact]
    public void Load_TableNotAnObjectOfRecords_IsRefused()
    {
        foreach (var table in TauDomain.Retail.Tables())
        {
            File.WriteAllText(Path.Combine(_folder, table + ".json"), table == "orders" ? "[1, 2]" : "{}");
        }

        Should.Throw<TauDataException>(() => TauDatabaseSource.Load(TauDomain.Retail, _folder)).Message.ShouldContain("orders.json' must be a JSON object");
    }

    [Fact]
    public void Load_InvalidJson_SaysSo()
    {
        foreach (var table in TauDomain.Retail.Tables())
        {
            File.WriteAllText(Path.Combine(_folder, table + ".json"), table == "users" ? "{\"a\": " : "{}");
        }

        Should.Throw<TauDataException>(() => TauDatabaseSource.Load(TauDomain.Retail, _folder)).Message.ShouldContain("users.json' is not valid JSON");
    }

    [Fact]
    public void CreateCopy_WriteToOneCopy_LeavesOtherCopiesAndFilesUnchanged()
    {
        var file = Path.Combine(RepoPaths.Database(TauDomain.Airline), "reservations.json");
        var before = File.ReadAllBytes(file);
        var first = Tau.Airline();
        var second = Tau.Airline();
        first.Call("cancel_reservation", """{"reservation_id": "YAX4DR"}""").IsError.ShouldBeFalse();

        second.Call("get_reservation_details", """{"reservation_id": "YAX4DR"}""").Text.ShouldNotContain("cancelled");
        File.ReadAllBytes(file).ShouldBe(before);
    }
}
