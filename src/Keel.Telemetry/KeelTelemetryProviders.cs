using System.Runtime.CompilerServices;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Keel.Telemetry;

/// <summary>The tracer and meter providers that export Keel's telemetry, or nothing when export is off. Dispose it when the process is done:
/// disposing flushes what is buffered and shuts the exporters down.</summary>
/// <remarks>Thread-safe. When export is off the instance holds nothing and never loads the OpenTelemetry SDK.</remarks>
public sealed class KeelTelemetryProviders : IDisposable
{
    private readonly IDisposable? _tracing;
    private readonly IDisposable? _metrics;

    internal KeelTelemetryProviders(IDisposable? tracing, IDisposable? metrics)
    {
        _tracing = tracing;
        _metrics = metrics;
    }

    /// <summary>Whether spans and metrics are exported.</summary>
    public bool IsEnabled => _tracing is not null;

    internal static KeelTelemetryProviders Disabled { get; } = new(null, null);

    /// <summary>Exports every finished span and the current metrics now, waiting up to <paramref name="timeoutMilliseconds"/>.</summary>
    /// <param name="timeoutMilliseconds">How long to wait, in milliseconds. The default is 5,000.</param>
    /// <returns>Whether both exports finished in time; <see langword="true"/> when export is off.</returns>
    public bool ForceFlush(int timeoutMilliseconds = 5000) => !IsEnabled || Flush(timeoutMilliseconds);

    /// <inheritdoc />
    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Flush(int timeoutMilliseconds) =>
        ((TracerProvider)_tracing!).ForceFlush(timeoutMilliseconds) & ((MeterProvider)_metrics!).ForceFlush(timeoutMilliseconds);
}
