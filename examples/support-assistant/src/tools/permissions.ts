// The only tools the model may call, with the scopes each may use.
export const TOOL_SCOPES = { "lookup-order": ["orders:read"], "update-ticket": ["tickets:write"] } as const;
