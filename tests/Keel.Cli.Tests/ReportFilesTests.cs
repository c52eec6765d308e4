using Keel.Cli.Output;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>Report files are written whole or not at all.</summary>
public sealed class ReportFilesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "keel-reportfiles-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task WriteAtomicAsync_NewFolder_CreatesFolderAndFile()
    {
        var path = Path.Combine(_folder, "nested", "report.json");

        await ReportFiles.WriteAtomicAsync(path, "{}\n", TestContext.Current.CancellationToken);

        (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ShouldBe("{}\n");
        File.Exists(path + ".tmp").ShouldBeFalse();
    }

    [Fact]
    public async Task WriteAtomicAsync_WriterFailsHalfway_LeavesEarlierFileAndNoTemporary()
    {
        var path = Path.Combine(_folder, "junit.xml");
        await ReportFiles.WriteAtomicAsync(path, "earlier", TestContext.Current.CancellationToken);

        var failing = async (Stream stream, CancellationToken ct) =>
        {
            await stream.WriteAsync("<half"u8.ToArray(), ct);
            throw new IOException("disk full");
        };

        await Should.ThrowAsync<IOException>(() => ReportFiles.WriteAtomicAsync(path, failing, TestContext.Current.CancellationToken));
        (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ShouldBe("earlier");
        File.Exists(path + ".tmp").ShouldBeFalse();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
