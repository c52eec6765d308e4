using Keel.Storage.Conformance;

namespace Keel.Storage.Sqlite.Tests;

// The shared store behaviour (tests/Keel.Storage.Conformance) on a real SQLite file per test.

public sealed class SqliteRunStoreConformanceTests : RunStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteAuditChainConformanceTests : AuditChainConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteLiveRunStoreConformanceTests : LiveRunStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteApprovalStoreConformanceTests : ApprovalStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteIdempotencyStoreConformanceTests : IdempotencyStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteBudgetLedgerConformanceTests : BudgetLedgerConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteTenancyConformanceTests : TenancyConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteSpanBufferConformanceTests : SpanBufferConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteVersionRegistryConformanceTests : VersionRegistryConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteRunQueryConformanceTests : RunQueryConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}

public sealed class SqliteKnowledgeStoreConformanceTests : KnowledgeStoreConformanceTests
{
    protected override Task<IStoreBackend> CreateBackendAsync() => SqliteBackend.CreateAsync();
}
