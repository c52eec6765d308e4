namespace Keel.Model;

/// <summary>One conversation or task of one agent version, with its append-only event record.</summary>
/// <remarks>Not thread-safe: one run is driven by one pipeline at a time.</remarks>
public sealed class Run
{
    private readonly List<RunEvent> _events = [];
    private readonly List<Failure> _failures = [];

    /// <summary>Creates an active run.</summary>
    /// <param name="id">Stable run id.</param>
    /// <param name="workspaceId">The owning workspace.</param>
    /// <param name="agentName">The agent.</param>
    /// <param name="agentVersion">The agent version that runs it.</param>
    /// <param name="startedAt">Start time (the run's clock).</param>
    /// <param name="channel">One of <c>web</c>, <c>email</c>, <c>whatsapp</c>, <c>phone</c>, <c>api</c> (<see cref="DefaultChannel"/>),
    /// <see cref="McpChannel"/>, or a recorded run's <see cref="ReplayChannel"/> / <see cref="OtlpChannel"/>.</param>
    public Run(string id, string workspaceId, string agentName, string agentVersion, DateTimeOffset startedAt, string channel = DefaultChannel)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        Id = id;
        WorkspaceId = workspaceId;
        AgentName = agentName;
        AgentVersion = agentVersion;
        StartedAt = startedAt;
        Channel = channel;
    }

    /// <summary>Stable run id.</summary>
    public string Id { get; }

    /// <summary>The owning workspace.</summary>
    public string WorkspaceId { get; }

    /// <summary>The agent.</summary>
    public string AgentName { get; }

    /// <summary>The agent version that runs it.</summary>
    public string AgentVersion { get; }

    /// <summary>Start time.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The channel: for a live run the one it was opened on (web, email, whatsapp, phone, api, mcp), for a run
    /// <c>keel replay</c> replayed from a recording <see cref="ReplayChannel"/>.</summary>
    public string Channel { get; }

    /// <summary>The channel of a run opened without one. Value: <c>api</c>.</summary>
    public const string DefaultChannel = "api";

    /// <summary>The channel of runs opened by an MCP host (<c>keel mcp</c>, <c>/mcp</c>). Value: <c>mcp</c>.</summary>
    public const string McpChannel = "mcp";

    /// <summary>The channel of runs replayed from a recording in audit mode (<c>keel replay</c>). Value: <c>replay</c>.</summary>
    public const string ReplayChannel = "replay";

    /// <summary>The channel of runs built from OpenTelemetry traces (<c>POST /v1/traces</c>) and audited like replays. Value: <c>otlp</c>.</summary>
    public const string OtlpChannel = "otlp";

    /// <summary>Where the run comes from: <c>replay</c> (replayed from a recording, audit mode), <c>otlp</c> (an OpenTelemetry trace,
    /// audit mode) or <c>live</c> (through the gateway).</summary>
    public string Origin => OriginOf(Channel);

    /// <summary>The origin of a run on <paramref name="channel"/>: <c>replay</c> for <see cref="ReplayChannel"/>, <c>otlp</c> for
    /// <see cref="OtlpChannel"/>, otherwise <c>live</c>.</summary>
    /// <param name="channel">The run's channel.</param>
    public static string OriginOf(string channel) => channel switch
    {
        ReplayChannel => "replay",
        OtlpChannel => "otlp",
        _ => "live",
    };

    /// <summary>Workflow class, e.g. the domain (<c>airline</c>); <see langword="null"/> when unknown.</summary>
    public string? WorkflowClass { get; init; }

    /// <summary>The agent version the gateway served the run with and how it was chosen (docs/versions.md); <see langword="null"/>
    /// for a replayed or ingested run and for runs stored before versions were recorded.</summary>
    public Keel.Versions.VersionAssignment? Version { get; init; }

    /// <summary>Current status.</summary>
    public RunStatus Status { get; set; } = RunStatus.Active;

    /// <summary>The events in sequence order.</summary>
    public IReadOnlyList<RunEvent> Events => _events;

    /// <summary>Failures classified so far, in the order they were found.</summary>
    public IReadOnlyList<Failure> Failures => _failures;

    /// <summary>The handoff packet, when the run ended in escalation or safe stop.</summary>
    public HandoffPacket? Handoff { get; set; }

    /// <summary>Appends an event, assigning the next sequence number.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="runEvent">The event; its <see cref="RunEvent.Sequence"/> is ignored.</param>
    /// <returns>The stored event with its sequence number.</returns>
    public TEvent Append<TEvent>(TEvent runEvent)
        where TEvent : RunEvent
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        var stored = runEvent with { Sequence = _events.Count + 1 };
        _events.Add(stored);
        return (TEvent)stored;
    }

    /// <summary>Records a classified failure.</summary>
    /// <param name="failure">The failure.</param>
    public void AddFailure(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        _failures.Add(failure);
    }
}
