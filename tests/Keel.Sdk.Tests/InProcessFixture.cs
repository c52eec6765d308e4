using Keel.Budgets;
using Keel.Model;
using Keel.Sdk.Api;
using Keel.Sdk.InProcess;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Sdk.Tests;

/// <summary>The in-process gateway governing the refund-desk agent over a SQLite file in a temp folder, with a workspace budget
/// without limits so its window counts the tokens the runs used.</summary>
public sealed class InProcessFixture : IAsyncLifetime, IGovernedBackend
{
    private DirectoryInfo? _folder;

    public KeelInProcessGateway Gateway { get; private set; } = null!;

    public string DatabasePath { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("keel-sdk-inproc-");
        DatabasePath = Path.Combine(_folder.FullName, "keel.db");
        Gateway = await KeelInProcessGateway.StartAsync(new KeelInProcessOptions
        {
            AgentBundle = Path.Combine(AppContext.BaseDirectory, "TestData", "refund-desk"),
            Store = k => k.UseSqlite(DatabasePath),
            Budget = new WorkspaceBudget(TimeSpan.FromDays(1), new BudgetLimits()),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public ChatClientBuilder UseKeel(ChatClientBuilder builder, Action<KeelOptions> configure) => builder.UseKeel(Gateway, configure);

    public AIAgentBuilder UseKeel(AIAgentBuilder builder, Action<KeelOptions> configure) => builder.UseKeel(Gateway, configure);

    public Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string runId) => Gateway.ListEventsAsync(runId, cancellationToken: TestContext.Current.CancellationToken);

    public Task<ApiApproval> ApproveAsync(string approvalId, string note) => Gateway.ApproveAsync(approvalId, "supervisor", note, TestContext.Current.CancellationToken);

    public Task<ApiApproval> GetApprovalAsync(string approvalId) => Gateway.GetApprovalAsync(approvalId, TestContext.Current.CancellationToken);

    public Task<ApiRun> GetRunAsync(string runId) => Gateway.GetRunAsync(runId, TestContext.Current.CancellationToken);

    public async Task<long> UsedTokensAsync() => (await Gateway.GetBudgetUseAsync(TestContext.Current.CancellationToken))?.Tokens ?? 0;
}
