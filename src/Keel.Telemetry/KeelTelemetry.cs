using System.Runtime.CompilerServices;
using Keel.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Keel.Telemetry;

/// <summary>Sets up OTLP export of Keel's spans and metrics (<see cref="KeelDiagnostics"/>) with the OpenTelemetry SDK — built with
/// <c>Sdk.CreateTracerProviderBuilder()</c> and <c>Sdk.CreateMeterProviderBuilder()</c>, so no hosting package is needed. Export is on only when
/// an endpoint is given: <see cref="KeelTelemetryOptions.Endpoint"/> or the <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable.</summary>
/// <remarks>Thread-safe. Create the providers once per process, at start, and dispose them at exit (docs/telemetry.md).</remarks>
public static class KeelTelemetry
{
    /// <summary>The environment variable that switches export on.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The environment variable naming the service.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>The <see cref="KeelTelemetryOptions.Protocol"/> value for OTLP over gRPC.</summary>
    public const string GrpcProtocol = "grpc";

    /// <summary>The <see cref="KeelTelemetryOptions.Protocol"/> value for OTLP over HTTP with protobuf bodies.</summary>
    public const string HttpProtobufProtocol = "http/protobuf";

    /// <summary>The <c>service.name</c> when neither the options nor <c>OTEL_SERVICE_NAME</c> name one.</summary>
    public const string DefaultServiceName = "keel";

    /// <summary>Creates the tracer provider (sources <c>Keel</c> and <see cref="KeelTelemetryOptions.AdditionalSources"/>) and the meter provider
    /// (meters <c>Keel</c> and <see cref="KeelTelemetryOptions.AdditionalMeters"/>), both exporting over OTLP; or, with no endpoint set, providers
    /// that do nothing (the SDK is then not even loaded).</summary>
    /// <param name="options">Endpoint, protocol, service name and extra sources. The default is <see langword="null"/>: all from the environment.</param>
    /// <returns>The providers; dispose them at exit to flush.</returns>
    /// <exception cref="ArgumentException">The endpoint is not an absolute URI, or the protocol is neither <c>grpc</c> nor <c>http/protobuf</c>.</exception>
    public static KeelTelemetryProviders CreateProviders(KeelTelemetryOptions? options = null)
    {
        options ??= new KeelTelemetryOptions();
        if (options.Endpoint is { IsAbsoluteUri: false } relative)
        {
            throw new ArgumentException($"KeelTelemetryOptions.Endpoint must be an absolute URI such as http://localhost:4317, not '{relative}'.", nameof(options));
        }

        if (options.Protocol is not (null or GrpcProtocol or HttpProtobufProtocol))
        {
            throw new ArgumentException($"KeelTelemetryOptions.Protocol must be '{GrpcProtocol}' or '{HttpProtobufProtocol}' (as in OTEL_EXPORTER_OTLP_PROTOCOL), not '{options.Protocol}'.", nameof(options));
        }

        return options.Endpoint is null && string.IsNullOrWhiteSpace(options.Environment(EndpointVariable))
            ? KeelTelemetryProviders.Disabled
            : Build(options);
    }

    /// <summary>The <c>service.name</c> the providers report.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The options' name, else <c>OTEL_SERVICE_NAME</c>, else <c>keel</c>.</returns>
    internal static string ServiceName(KeelTelemetryOptions options) =>
        options.ServiceName is { Length: > 0 } name ? name
        : options.Environment(ServiceNameVariable)?.Trim() is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultServiceName;

    // Kept apart so that the SDK's assemblies load only when export is on.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static KeelTelemetryProviders Build(KeelTelemetryOptions options)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(ServiceName(options), serviceVersion: KeelDiagnostics.ActivitySource.Version);
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(KeelDiagnostics.Name)
            .AddSource([.. options.AdditionalSources])
            .AddOtlpExporter(exporter => Configure(exporter, options, "v1/traces"))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(KeelDiagnostics.Name)
            .AddMeter([.. options.AdditionalMeters])
            .AddOtlpExporter((exporter, _) => Configure(exporter, options, "v1/metrics"))
            .Build();
        return new KeelTelemetryProviders(tracing, metrics);
    }

    private static void Configure(OtlpExporterOptions exporter, KeelTelemetryOptions options, string signalPath)
    {
        if (options.Protocol is { } protocol)
        {
            exporter.Protocol = protocol == HttpProtobufProtocol ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        }

        // Unset, the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT itself (and appends the signal path for http/protobuf). A set endpoint is the
        // same base address, so append the path here: the SDK takes a programmatic HTTP endpoint as the full URL.
        if (options.Endpoint is { } endpoint)
        {
            exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
                : endpoint;
        }
    }
}
