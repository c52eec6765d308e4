using Keel.TauTools.Data;

namespace Keel.TauTools.Tools;

/// <summary>What a tool call runs against: the database copy and the domain clock.</summary>
/// <param name="Database">The in-memory database the call reads and changes.</param>
/// <param name="Clock">The clock for timestamps a tool writes (<c>created_at</c> of a new reservation).</param>
public sealed record ToolContext(TauDatabase Database, TimeProvider Clock);

/// <summary>Runs one tool: reads its checked arguments, works on the database, returns the reference environment's answer.</summary>
/// <param name="context">The database and clock.</param>
/// <param name="arguments">The arguments, checked against the tool's schema.</param>
/// <returns>The outcome.</returns>
public delegate ToolOutcome TauToolHandler(ToolContext context, ToolArguments arguments);
