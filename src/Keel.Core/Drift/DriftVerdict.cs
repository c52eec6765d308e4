using System.Text.Json.Serialization;

namespace Keel.Drift;

/// <summary>What drift testing says about one metric; written to JSON in snake_case (<c>not_enough_runs</c>).</summary>
public enum DriftVerdict
{
    /// <summary>Tested, and the Benjamini–Hochberg adjusted p-value is below the false discovery rate: the metric drifted.</summary>
    [JsonStringEnumMemberName("drifted")]
    Drifted,

    /// <summary>Tested, and no significant difference: no drift found (not a proof of none).</summary>
    [JsonStringEnumMemberName("no_drift")]
    NoDrift,

    /// <summary>Too few runs (or expected counts) on one side to test; Keel does not guess.</summary>
    [JsonStringEnumMemberName("not_enough_runs")]
    NotEnoughRuns,

    /// <summary>The recordings do not hold what the metric needs (no rewards, no costs, no write calls).</summary>
    [JsonStringEnumMemberName("not_recorded")]
    NotRecorded,

    /// <summary>Reported for both sides, not tested (and not counted among the tests that are corrected together).</summary>
    [JsonStringEnumMemberName("not_tested")]
    NotTested,
}
