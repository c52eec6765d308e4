namespace Keel.Provenance;

/// <summary>Where a value the agent passes to a tool first appeared in its run. A value seen in several places carries several flags.</summary>
[Flags]
public enum ValueOrigin
{
    /// <summary>Seen nowhere: the agent wrote it (computed, paraphrased or invented).</summary>
    None = 0,

    /// <summary>A user message.</summary>
    User = 1,

    /// <summary>The system prompt (the operator's instructions).</summary>
    System = 2,

    /// <summary>The output of a tool whose results are trusted (structured records of the system of record).</summary>
    TrustedTool = 4,

    /// <summary>Text that third parties can write: the output of a tool marked <c>x-untrusted-output</c> (mail, web pages, files,
    /// messages, reviews), or the marked fields of it.</summary>
    UntrustedTool = 8,

    /// <summary>Untrusted output the user pointed the agent at — the read's arguments name something the user named ("the message from
    /// Bob", "her website www.dora-website.com") — that carried no instructions addressed to the agent (<see cref="InstructionDetector"/>).
    /// The user delegated the task to that text, so its values count as given for the task; data-flow rules may refuse that delegation.</summary>
    DelegatedTool = 16,
}
