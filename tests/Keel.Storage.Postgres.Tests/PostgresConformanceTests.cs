using Keel.Storage.Conformance;

namespace Keel.Storage.Postgres.Tests;

// The shared store behaviour (tests/Keel.Storage.Conformance) on a fresh PostgreSQL database per test.

public sealed class PostgresRunStoreConformanceTests(PostgresCluster cluster) : RunStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresAuditChainConformanceTests(PostgresCluster cluster) : AuditChainConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresLiveRunStoreConformanceTests(PostgresCluster cluster) : LiveRunStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresApprovalStoreConformanceTests(PostgresCluster cluster) : ApprovalStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresIdempotencyStoreConformanceTests(PostgresCluster cluster) : IdempotencyStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresBudgetLedgerConformanceTests(PostgresCluster cluster) : BudgetLedgerConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresTenancyConformanceTests(PostgresCluster cluster) : TenancyConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresSpanBufferConformanceTests(PostgresCluster cluster) : SpanBufferConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresVersionRegistryConformanceTests(PostgresCluster cluster) : VersionRegistryConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresRunQueryConformanceTests(PostgresCluster cluster) : RunQueryConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}

public sealed class PostgresKnowledgeStoreConformanceTests(PostgresCluster cluster) : KnowledgeStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => PostgresBackend.CreateAsync(cluster);
}
