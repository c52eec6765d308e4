using System.Diagnostics.Metrics;
using Keel.Diagnostics;

namespace Keel.Core.Tests.Diagnostics;

/// <summary>A meter listener that throws on every measurement tagged with one tool name (a broken metrics exporter).</summary>
internal sealed class ThrowingMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private int _thrown;

    public ThrowingMeterListener(string toolName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KeelDiagnostics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => ThrowIfOurs(tags, toolName));
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => ThrowIfOurs(tags, toolName));
        _listener.Start();
    }

    public int Thrown => Volatile.Read(ref _thrown);

    public void Dispose() => _listener.Dispose();

    private void ThrowIfOurs(ReadOnlySpan<KeyValuePair<string, object?>> tags, string toolName)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == GenAiAttributes.ToolName && tag.Value as string == toolName)
            {
                Interlocked.Increment(ref _thrown);
                throw new InvalidOperationException("a broken metrics exporter");
            }
        }
    }
}
