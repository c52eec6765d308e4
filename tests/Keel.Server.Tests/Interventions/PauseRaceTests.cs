using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Keel.Server.Tests.Interventions;

public sealed class PauseRaceTests
{
    [Fact]
    public async Task Replies_RacingAPause_NoReplyCommittedAfterThePauseIsDelivered()
    {
        await using var gateway = await new TestGateway().StartAsync();
        var agent = await gateway.NewClientAsync("agent", "refund-desk");
        var supervisor = await gateway.NewClientAsync("operator", name: "supervisor");
        const int rounds = 6;
        const int senders = 4;
        const int perSender = 10;
        for (var round = 0; round < rounds; round++)
        {
            var run = await agent.OpenRunAsync();
            var answers = new ConcurrentBag<(string Content, JsonElement Answer)>();

            // Four hosts send replies one after another while the operator pauses once a few were answered: the pause lands among
            // replies in flight, each waiting for the run's lock.
            var answered = 0;
            var pauseAfter = 2 + (round * 5);
            var someAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sending = Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
            {
                for (var i = 0; i < perSender; i++)
                {
                    var content = $"reply {sender}.{i}";
                    var response = await agent.PostAsJsonAsync($"/v1/runs/{run}/messages", new { role = "assistant", content }, TestGateway.Json);
                    response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                    answers.Add((content, await response.Content.ReadFromJsonAsync<JsonElement>()));
                    if (Interlocked.Increment(ref answered) == pauseAfter)
                    {
                        someAnswered.TrySetResult();
                    }
                }
            })).ToList();
            var pausing = Task.Run(async () =>
            {
                await someAnswered.Task;
                return await supervisor.InterveneOkAsync(run, "pause");
            });
            await Task.WhenAll(sending);
            var pauseSequence = (await pausing).GetProperty("sequence").GetInt64();

            foreach (var (content, answer) in answers)
            {
                var sequence = answer.GetProperty("sequence").GetInt64();
                answer.Str("delivery").ShouldBe(sequence > pauseSequence ? "held" : "deliver",
                    $"{content} was committed at {sequence}, the pause at {pauseSequence}");
            }

            // A held reply never enters the conversation; every reply is recorded exactly once.
            var events = await supervisor.EventsAsync(run);
            var conversation = events.Where(e => e.Str("kind") == "message").Select(e => e.GetProperty("data").Str("content")).ToHashSet();
            var drafts = events.Where(e => e.Str("kind") == "intervention" && e.GetProperty("data").Str("action") == "hold")
                .Select(e => e.GetProperty("data").Str("content")).ToHashSet();
            conversation.Overlaps(drafts).ShouldBeFalse();
            (conversation.Count + drafts.Count).ShouldBe(senders * perSender);
        }
    }
}
