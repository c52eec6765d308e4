using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

public sealed class SqliteRunStoreOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new SqliteRunStoreOptions();

        options.Path.ShouldBe("./keel.db");
        options.BusyTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        Should.NotThrow(options.Validate);
    }

    [Theory]
    [InlineData("", "SqliteRunStoreOptions.Path is empty", "./keel.db")]
    [InlineData("   ", "SqliteRunStoreOptions.Path is empty", "./keel.db")]
    [InlineData(":memory:", "not a file path", "InMemoryRunStore")]
    [InlineData("Data Source=keel.db;Mode=Memory", "not a file path", "./keel.db")]
    [InlineData("file:keel.db?mode=memory", "not a file path", "./keel.db")]
    [InlineData("bad\0name.db", "SqliteRunStoreOptions.Path contains a character", "./keel.db")]
    public void Validate_BadPath_NamesTheSettingAndTheFix(string path, string problem, string fix)
    {
        var ex = Should.Throw<ArgumentException>(() => new SqliteRunStoreOptions { Path = path }.Validate());

        ex.Message.ShouldContain(problem);
        ex.Message.ShouldContain(fix);
    }

    [Fact]
    public void Validate_PathIsADirectory_SuggestsAFileInside()
    {
        using var directory = new TempDirectory();

        var ex = Should.Throw<ArgumentException>(() => new SqliteRunStoreOptions { Path = directory.Path }.Validate());

        ex.Message.ShouldContain("SqliteRunStoreOptions.Path");
        ex.Message.ShouldContain("is a directory");
        ex.Message.ShouldContain(Path.Join(directory.Path, "keel.db"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(601)]
    public void Validate_BusyTimeoutOutOfRange_NamesTheSettingAndTheRange(int seconds)
    {
        var ex = Should.Throw<ArgumentException>(() => new SqliteRunStoreOptions { BusyTimeout = TimeSpan.FromSeconds(seconds) }.Validate());

        ex.Message.ShouldContain("SqliteRunStoreOptions.BusyTimeout");
        ex.Message.ShouldContain("Set it between 00:00:01 and 00:10:00");
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Should.Throw<ArgumentNullException>(() => new SqliteRunStore(null!));
        Should.Throw<ArgumentException>(() => new SqliteRunStore(new SqliteRunStoreOptions { Path = "" })).Message.ShouldContain("Path is empty");
    }
}
