// Plugins benchmark: loading 50 plugins with 1,000 skills (time, memory), and the size of the
// first model request (system prompt + tools) with 20 plugins and 5 connectors of 30 tools each,
// beside a naive build that inlines every skill description and every connector tool schema.
// Run after `npm run build`: node --expose-gc bench/plugins.mjs
import { createRequire } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { PluginHost, loadPlugin } = require(path.join(root, 'packages/cowork-agent/lib/src/plugins/index.js'));

const PLUGINS = 50;
const SKILLS_PER_PLUGIN = 20;
const CONNECTORS = 5;
const TOOLS_PER_CONNECTOR = 30;

function line(name, value, unit, base, baseUnit = unit) {
    const ratio = base > 0 ? (value / base).toFixed(2) : 'n/a';
    console.log(`${name}: ${fmt(value)} ${unit} (baseline: ${fmt(base)} ${baseUnit}, ratio ${ratio}x)`);
}

function fmt(n) {
    return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function gc() {
    if (global.gc) {
        global.gc();
    }
}

/** A plugin folder like the real ones: folded descriptions, arguments, references, a script. */
function writePlugin(dir, p, skills) {
    fs.mkdirSync(path.join(dir, '.claude-plugin'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.claude-plugin/plugin.json'), JSON.stringify({ name: `bench-${p}`, version: '1.0.0', description: `Benchmark plugin ${p}`, author: { name: 'bench' } }));
    for (let s = 0; s < skills; s++) {
        const sd = path.join(dir, 'skills', `skill-${p}-${s}`);
        fs.mkdirSync(path.join(sd, 'references'), { recursive: true });
        const description = `Handles task family ${s} of plugin ${p}: drafting, reviewing and summarising documents, `
            + 'spreadsheets and notes for the team. Use when the user asks to prepare, check or condense material of this kind, '
            + 'or mentions the related keywords in their request.';
        const body = Array.from({ length: 40 }, (_, i) => `${i + 1}. Step ${i + 1} of the procedure for $ARGUMENTS: read the inputs, apply rule ${i}, and record the outcome in the notes. ~~chat may be used.`).join('\n');
        fs.writeFileSync(path.join(sd, 'SKILL.md'), `---\nname: skill-${p}-${s}\ndescription: >\n  ${description}\nargument-hint: "[file] [style]"\n---\n\n# Skill ${s}\n\n${body}\n`);
        fs.writeFileSync(path.join(sd, 'references', 'guide.md'), '# Guide\n' + 'Reference text. '.repeat(200));
    }
    fs.mkdirSync(path.join(dir, 'commands'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'commands', 'run.md'), '---\ndescription: Run the main workflow\nargument-hint: [target]\n---\nRun it on $1.\n');
}

/** A stdio MCP server with `count` tools whose schemas look like real SaaS connector tools. */
function writeServer(file, count) {
    const sdk = (p) => pathToFileURL(require.resolve(`@modelcontextprotocol/sdk/${p}`)).href;
    fs.writeFileSync(file, `
import { Server } from '${sdk('server/index.js')}';
import { StdioServerTransport } from '${sdk('server/stdio.js')}';
import { CallToolRequestSchema, ListToolsRequestSchema } from '${sdk('types.js')}';
const name = process.argv[2];
const tools = Array.from({ length: ${count} }, (_, i) => ({
  name: 'tool_' + i + '_' + ['search_records', 'create_record', 'update_record', 'list_items', 'get_details'][i % 5],
  description: 'In ' + name + ': ' + ['Search records by text, owner, status and date range. Returns matching records with their ids, titles, owners and timestamps; paginate with the cursor.',
    'Create a record with a title, a description in Markdown, an owner, labels and a due date. Returns the new record id and its URL.',
    'Update fields of an existing record. Only the fields given change; send null to clear a field. Returns the updated record.',
    'List items in a container, newest first, with optional filters on type, label and author. Supports cursor pagination.',
    'Get the full details of one item by id, including comments, attachments and the change history.'][i % 5],
  inputSchema: { type: 'object', properties: {
    query: { type: 'string', description: 'Free-text query; supports quoted phrases and field:value filters' },
    owner: { type: 'string', description: 'User id or email of the owner' },
    status: { type: 'string', enum: ['open', 'in_progress', 'blocked', 'done', 'archived'], description: 'Record status' },
    labels: { type: 'array', items: { type: 'string' }, description: 'Labels to match (all must match)' },
    created_after: { type: 'string', format: 'date-time', description: 'Only records created after this time (ISO 8601)' },
    created_before: { type: 'string', format: 'date-time', description: 'Only records created before this time (ISO 8601)' },
    limit: { type: 'integer', minimum: 1, maximum: 100, description: 'Maximum number of results (default 25)' },
    cursor: { type: 'string', description: 'Pagination cursor from the previous page' }
  }, required: ['query'] }
}));
const server = new Server({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async req => ({ content: [{ type: 'text', text: 'ok ' + req.params.name }] }));
await server.connect(new StdioServerTransport());
`);
}

function toolDef(t) {
    return { name: t.name, description: t.description, input_schema: t.inputSchema };
}

async function main() {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-plugins-'));
    try {
        // ---- 1. Loading 50 plugins / 1,000 skills ----
        const pluginsDir = path.join(tmp, 'plugins');
        for (let p = 0; p < PLUGINS; p++) {
            writePlugin(path.join(pluginsDir, `p${p}`), p, SKILLS_PER_PLUGIN);
        }
        // Baseline: only reading every SKILL.md and command file, no parsing.
        const readAll = () => {
            let bytes = 0;
            for (const p of fs.readdirSync(pluginsDir)) {
                for (const s of fs.readdirSync(path.join(pluginsDir, p, 'skills'))) {
                    bytes += fs.readFileSync(path.join(pluginsDir, p, 'skills', s, 'SKILL.md')).length;
                }
                bytes += fs.readFileSync(path.join(pluginsDir, p, 'commands', 'run.md')).length;
            }
            return bytes;
        };
        readAll(); // warm the page cache for both
        const runs = 5;
        let baseMs = Infinity;
        for (let i = 0; i < runs; i++) {
            const t = process.hrtime.bigint();
            readAll();
            baseMs = Math.min(baseMs, Number(process.hrtime.bigint() - t) / 1e6);
        }
        let loadMs = Infinity;
        let host;
        const dataDir = path.join(tmp, 'data');
        for (let i = 0; i < runs; i++) {
            host = undefined;
            gc();
            const t = process.hrtime.bigint();
            host = new PluginHost({ dataDir, bundledDir: pluginsDir, hookExecutor: async () => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false }) });
            loadMs = Math.min(loadMs, Number(process.hrtime.bigint() - t) / 1e6);
        }
        const skills = host.registry.skills().length;
        if (skills !== PLUGINS * SKILLS_PER_PLUGIN || host.issues().length !== 0) {
            throw new Error(`expected ${PLUGINS * SKILLS_PER_PLUGIN} skills and no issues, got ${skills} and ${host.issues().length}`);
        }
        console.log(`loaded ${PLUGINS} plugins, ${skills} skills`);
        line('plugins.load_50_plugins_1000_skills', loadMs, 'ms', baseMs, 'ms (read the same files, no parsing)');
        host = undefined;
        gc();
        const before = process.memoryUsage().heapUsed;
        const kept = new PluginHost({ dataDir, bundledDir: pluginsDir });
        gc();
        const heapMb = (process.memoryUsage().heapUsed - before) / 1048576;
        const sourceMb = readAll() / 1048576;
        line('plugins.heap_for_1000_skills', heapMb, 'MiB', sourceMb, 'MiB (size of the component files)');
        const listingChars = kept.systemPromptSection().length;
        console.log(`plugins.skill_listing_1000_skills: ${listingChars} chars (budgeted; descriptions shortened to fit)`);

        // ---- 2. First request with 20 plugins and 5 connectors × 30 tools ----
        const twentyDir = path.join(tmp, 'twenty');
        fs.mkdirSync(twentyDir);
        const serverFile = path.join(tmp, 'server.mjs');
        writeServer(serverFile, TOOLS_PER_CONNECTOR);
        for (let p = 0; p < 20; p++) {
            fs.cpSync(path.join(pluginsDir, `p${p}`), path.join(twentyDir, `p${p}`), { recursive: true });
            if (p < CONNECTORS) {
                fs.writeFileSync(path.join(twentyDir, `p${p}`, '.mcp.json'), JSON.stringify({ mcpServers: { [`service${p}`]: { command: process.execPath, args: [serverFile, `service${p}`] } } }));
            }
        }
        const h20 = new PluginHost({ dataDir: path.join(tmp, 'data20'), bundledDir: twentyDir, connectTimeoutMs: 30000 });
        const status = await h20.connect();
        const connected = status.filter(s => s.state === 'connected');
        if (connected.length !== CONNECTORS) {
            throw new Error(`connectors failed: ${JSON.stringify(status)}`);
        }
        const catalog = await h20.connectors.catalog();
        // What Cowork sends: the skill listing + connector summary, and the plugin tools (Skill, ConnectorTools, ConnectorCall, ConnectorRead).
        const ours = h20.systemPromptSection().length + JSON.stringify(h20.tools().map(toolDef)).length;
        // Naive: every skill's full description in the prompt, every connector tool as a tool definition.
        const naiveSystem = h20.registry.modelInvocables().map(c => `- ${c.plugin}:${c.id}: ${c.description}`).join('\n');
        const naiveTools = [h20.tools()[0], ...catalog.map(t => ({ name: t.qualified, description: t.description, inputSchema: t.inputSchema }))];
        const naive = naiveSystem.length + JSON.stringify(naiveTools.map(toolDef)).length;
        console.log(`first request inputs: ${h20.registry.skills().length} skills, ${catalog.length} connector tools`);
        line('plugins.first_request_chars_20_plugins_5x30_connector_tools', ours, 'chars', naive, 'chars (naive: all descriptions + all schemas inline)');
        line('plugins.first_request_tokens_approx', Math.round(ours / 4), 'tokens', Math.round(naive / 4), 'tokens (naive)');
        // Loading one schema on demand, as the model does before a call.
        const t0 = process.hrtime.bigint();
        const ctx = { signal: new AbortController().signal };
        const one = await h20.tools().find(t => t.name === 'ConnectorTools').run({ tool: catalog[0].qualified }, ctx);
        const lookupMs = Number(process.hrtime.bigint() - t0) / 1e6;
        console.log(`plugins.schema_on_demand: ${String(one.content).length} chars in ${lookupMs.toFixed(2)} ms`);
        await h20.close();
        await kept.close();
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

main().then(() => process.exit(0), e => {
    console.error(`bench/plugins.mjs failed: ${e.message}`);
    process.exit(1);
});
