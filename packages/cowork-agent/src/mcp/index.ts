export * from './mcp-config';
export * from './mcp-connection';
export * from './connector-manager';
export * from './connector-approvals';
export * from './connector-tools';
export * from './expand-vars';
export * from './mcp-tool-name';
