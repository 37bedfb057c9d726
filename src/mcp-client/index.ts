export { connectMcpServers, type McpConnections } from './connect.js';
export { loadMcpConfig, parseMcpServers, McpServerConfig, McpStdioServer, McpHttpServer, type McpServers } from './config.js';
