/** The help lines of the flags that say where a command's agents and tools come from (run, task). */
export const AGENT_SOURCES_HELP = `  --agents DIR        also load agent definitions (markdown) from DIR; repeatable
  --strict            fail (exit 2) on any invalid agent file instead of skipping it
  --mcp-config FILE   give agents the tools of the MCP servers in FILE (.mcp.json format),
                      named mcp__<server>__<tool>
  --workspace DIR     give agents Claude Code's tools (Read, Write, Edit, Glob, Grep, Bash,
                      WebFetch) confined to DIR; Write, Edit, Bash and WebFetch only to agents
                      whose tools list names them`;
