using Keel.Composition;
using Keel.Model;

namespace Keel.Sdk.InProcess;

/// <summary>What the in-process gateway governs and where it stores: the agent bundle, the store, the workspace, approvals and
/// the workspace budget. Read once, by <see cref="KeelInProcessGateway.StartAsync"/>. docs/sdk.md, "In-process mode".</summary>
public sealed class KeelInProcessOptions
{
    /// <summary>The agent bundle's folder (<c>agent.yaml</c>, <c>tools.json</c>, <c>policies.yaml</c>; docs/bundles.md), loaded at
    /// start. Required unless <see cref="Agent"/> is set.</summary>
    public string? AgentBundle { get; set; }

    /// <summary>An agent version already loaded (<c>AgentBundleLoader.Load</c>); when set, <see cref="AgentBundle"/> is not read.</summary>
    public AgentVersion? Agent { get; set; }

    /// <summary>Chooses the store on Keel's builder: <c>k =&gt; k.UseSqlite("keel.db")</c> (package Keel.Storage.Sqlite) or
    /// <c>k =&gt; k.UsePostgres(…)</c> (Keel.Storage.Postgres). Required. The same file or database can be read by <c>keel serve</c>
    /// and its console.</summary>
    public Action<KeelBuilder>? Store { get; set; }

    /// <summary>The workspace the runs, approvals and budget belong to; created in the store when missing.</summary>
    /// <value>The default is <c>default</c>.</value>
    public string WorkspaceId { get; set; } = Workspace.Default.Id;

    /// <summary>How long a held call's approval may be granted and used, from when the call was held.</summary>
    /// <value>The default is one hour, as <c>keel serve</c>.</value>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many people must approve a held call.</summary>
    /// <value>The default is 1.</value>
    public int ApprovalStages { get; set; } = 1;

    /// <summary>The workspace budget to set at start (window and limits, counted across every run of the workspace);
    /// <see langword="null"/> leaves the stored one as it is.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Budgets.WorkspaceBudget? Budget { get; set; }

    /// <summary>The clock of runs, approvals and budgets.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    internal void Validate()
    {
        if (Agent is null && string.IsNullOrWhiteSpace(AgentBundle))
        {
            throw new ArgumentException($"KeelInProcessOptions.{nameof(AgentBundle)} is required: set it to the agent bundle's folder (agent.yaml, tools.json, policies.yaml).");
        }

        if (Store is null)
        {
            throw new ArgumentException($"KeelInProcessOptions.{nameof(Store)} is required: choose a store, e.g. k => k.UseSqlite(\"keel.db\") (package Keel.Storage.Sqlite).");
        }

        if (string.IsNullOrWhiteSpace(WorkspaceId))
        {
            throw new ArgumentException($"KeelInProcessOptions.{nameof(WorkspaceId)} is empty; leave it at 'default' or name a workspace.");
        }

        if (ApprovalTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"KeelInProcessOptions.{nameof(ApprovalTimeout)} is {ApprovalTimeout}; set a positive duration such as 01:00:00.");
        }

        if (ApprovalStages < 1)
        {
            throw new ArgumentException($"KeelInProcessOptions.{nameof(ApprovalStages)} is {ApprovalStages}; it must be 1 or more.");
        }
    }
}
