// Drives a Keel MCP endpoint with the official TypeScript MCP SDK and prints what it saw as one JSON line.
//   node interop.mjs http <url>                 Streamable HTTP, key from KEEL_API_KEY
//   node interop.mjs stdio <command> [args...]  stdio (keel mcp), key passed on in KEEL_API_KEY
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [mode, target, ...rest] = process.argv.slice(2);
const key = process.env.KEEL_API_KEY;
const transport = mode === "http"
  ? new StreamableHTTPClientTransport(new URL(target), { requestInit: { headers: { Authorization: `Bearer ${key}` } } })
  : new StdioClientTransport({ command: target, args: rest, env: { ...process.env }, stderr: "inherit" });

const client = new Client({ name: "keel-interop", version: "1.0.0" });
await client.connect(transport);
const tools = await client.listTools();
const read = await client.callTool({ name: "get_user_details", arguments: { user_id: "mia_li_3668" } });
const held = await client.callTool({ name: "cancel_reservation", arguments: { reservation_id: "4WQ150" } });
const approvalId = (held.content?.[0]?.text ?? "").match(/apr_[0-9a-f]+/)?.[0] ?? null;
const status = approvalId
  ? await client.callTool({ name: "keel_approval_status", arguments: { approval_id: approvalId } })
  : null;
console.log(JSON.stringify({
  server: client.getServerVersion(),
  tools: tools.tools.map(t => ({ name: t.name, annotations: t.annotations ?? null })),
  read, held, approvalId, status,
}));
await client.close();
