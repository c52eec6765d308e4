namespace Keel.Server.Ingest;

/// <summary>Settings of OpenTelemetry trace ingest (<c>POST /v1/traces</c>, docs/otlp-ingest.md).</summary>
public sealed class OtlpIngestOptions
{
    /// <summary>The largest export body accepted, in bytes, before and after gzip decompression; a larger one is answered 413.</summary>
    /// <value>The default is 16 MiB (OTLP exporters send batches of 512 spans by default; with message content a batch can pass 1 MiB).</value>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long after a trace's root span arrived its run is built, so children exported in a later batch still belong to it.</summary>
    /// <value>The default is 2 s (the OpenTelemetry SDK's batch span processor exports every 5 s at most, children before parents).</value>
    public TimeSpan RootGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a trace whose root span never arrived may stay without new spans before its run is built from what arrived.</summary>
    /// <value>The default is 30 s.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many incomplete traces are tracked in memory; past it the oldest is built at once. Their spans are in the durable
    /// buffer, not in memory: one tracked trace costs about 100 bytes.</summary>
    /// <value>The default is 100 000.</value>
    public int MaxPendingTraces { get; set; } = 100_000;

    /// <summary>How often due traces are looked for.</summary>
    /// <value>The default is 250 ms.</value>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many due traces are built together: their runs are stored in one transaction and their spans leave the buffer in
    /// another, so the two commits (each an fsync under <c>synchronous=FULL</c>) are shared by the batch instead of paid per trace.</summary>
    /// <value>The default is 256.</value>
    public int BuildBatchSize { get; set; } = 256;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (MaxBodyBytes is < 1024 or > 1L << 30)
        {
            throw new ArgumentException($"{nameof(OtlpIngestOptions)}.{nameof(MaxBodyBytes)} must be between 1 KiB and 1 GiB.");
        }

        if (BuildBatchSize is < 1 or > 10_000)
        {
            throw new ArgumentException($"{nameof(OtlpIngestOptions)}.{nameof(BuildBatchSize)} must be between 1 and 10 000.");
        }

        if (MaxPendingTraces < 1 || RootGrace < TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(OtlpIngestOptions)}: {nameof(MaxPendingTraces)} must be positive and the times must not be negative.");
        }
    }
}
