namespace Keel.Gateway;

/// <summary>How the pipeline's execute stage behaves; every other stage is the same in both modes.</summary>
public enum PipelineMode
{
    /// <summary>Live: the tool is really called (or the call is held).</summary>
    Enforce,

    /// <summary>Replay / backtest: the recorded result is returned instead of calling the tool.</summary>
    Audit,
}
