namespace Keel.Telemetry;

/// <summary>Where and how <see cref="KeelTelemetry.CreateProviders"/> exports. Every unset setting falls back to the standard OpenTelemetry
/// environment variable, so a server or <c>keel replay</c> needs no code change to export: set <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
/// <remarks>Not thread-safe while being set; read once by <see cref="KeelTelemetry.CreateProviders"/>.</remarks>
public sealed class KeelTelemetryOptions
{
    /// <summary>The OTLP endpoint, the same base address <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes, e.g. <c>http://localhost:4317</c> (gRPC) or
    /// <c>http://localhost:4318</c> (HTTP/protobuf: Keel appends <c>v1/traces</c> and <c>v1/metrics</c>, as the SDK does for the variable).
    /// <value>The default is <see langword="null"/>: the variable decides, and with neither set nothing is exported.</value></summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The OTLP protocol, in the words of <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>: <c>grpc</c> or <c>http/protobuf</c>. A string rather than
    /// the SDK's enum so that this class loads without the SDK.
    /// <value>The default is <see langword="null"/>: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else gRPC.</value></summary>
    public string? Protocol { get; set; }

    /// <summary>The <c>service.name</c> resource attribute.
    /// <value>The default is <see langword="null"/>: <c>OTEL_SERVICE_NAME</c>, else <c>keel</c>.</value></summary>
    public string? ServiceName { get; set; }

    /// <summary>Activity sources exported besides Keel's own (<c>Keel</c>).
    /// <value>The default is <c>Microsoft.AspNetCore</c> and <c>System.Net.Http</c>: the server's requests and its calls to upstream tools.</value></summary>
    public IList<string> AdditionalSources { get; } = ["Microsoft.AspNetCore", "System.Net.Http"];

    /// <summary>Meters exported besides Keel's own (<c>Keel</c>).
    /// <value>The default is <c>Microsoft.AspNetCore.Hosting</c>, <c>Microsoft.AspNetCore.Server.Kestrel</c> and <c>System.Net.Http</c>.</value></summary>
    public IList<string> AdditionalMeters { get; } = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http"];

    /// <summary>Reads an environment variable; tests replace it to stay independent of the process environment.</summary>
    internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;
}
