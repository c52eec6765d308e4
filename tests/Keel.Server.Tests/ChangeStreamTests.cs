using System.Text;
using Keel.Server.Console;
using Keel.Server.Interventions;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Tests;

/// <summary>The console's change stream (<see cref="ChangeStream"/>): what a page that connects after a commit is told.</summary>
public sealed class ChangeStreamTests
{
    [Fact]
    public async Task StreamAsync_JustOpened_SendsChangedAtOnceSoACommitBeforeTheConnectionShows()
    {
        // The page was rendered, then a run was committed, then the page's stream connected: its first look at the store already
        // holds the commit, and only a first "changed" makes the page fetch it.
        using var aborted = new CancellationTokenSource();
        var body = new FirstWriteStream();
        var http = new DefaultHttpContext { RequestAborted = aborted.Token };
        http.Response.Body = body;
        var options = new KeelServerOptions { FeedPollInterval = TimeSpan.FromMinutes(5) };

        var streaming = ChangeStream.StreamAsync(http, new RunSignals(), options, "ws-a", runId: null, _ => Task.FromResult("signature-after-the-commit"));
        var first = await body.FirstWrite.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await aborted.CancelAsync();
        await streaming;

        first.ShouldBe("event: changed\ndata: signature-after-the-commit\n\n");
    }

    /// <summary>A response body that keeps what was written and completes <see cref="FirstWrite"/> with the first text.</summary>
    private sealed class FirstWriteStream : MemoryStream
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstWrite => _first.Task;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length > 0)
            {
                _first.TrySetResult(Encoding.UTF8.GetString(buffer.Span));
            }

            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
