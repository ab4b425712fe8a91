#!/usr/bin/env node
import * as fs from 'fs';
import { Command, InvalidArgumentError } from 'commander';
import { loadScenarioFile } from './scenario-file';
import { startScriptedModelServer } from './scripted-model-server';

/**
 * Runs the scripted model server as its own process, for tests that start the CLI or the browser
 * app as separate processes:
 *
 *   node lib/src/testing/scripted-model-server-cli.js --scenario s.js [--port 0] [--record requests.jsonl]
 *
 * Prints the base URL as its first stdout line, then serves until SIGINT/SIGTERM.
 */
function parseInteger(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
        throw new InvalidArgumentError('expected a non-negative integer');
    }
    return n;
}

export async function main(argv: string[]): Promise<void> {
    const program = new Command('scripted-model-server')
        .description('An Anthropic Messages API server that answers from a scenario file')
        .requiredOption('--scenario <file>', 'scenario: .json (static turns) or .js module (turns, functions allowed)')
        .option('--port <n>', 'port to listen on (0: any free port)', parseInteger, 0)
        .option('--host <address>', 'address to listen on', '127.0.0.1')
        .option('--require-api-key <key>', 'answer 401 unless requests carry this key')
        .option('--min-cacheable-tokens <n>', 'smallest prefix the imitated prompt cache keeps', parseInteger, 0)
        .option('--record <file>', 'append every request (headers and body) to this file as JSON lines')
        .exitOverride();
    program.parse(argv, { from: 'user' });
    const opts = program.opts<{ scenario: string; port: number; host: string; requireApiKey?: string; minCacheableTokens: number; record?: string }>();

    const scenario = loadScenarioFile(opts.scenario);
    const server = await startScriptedModelServer(scenario.turns, {
        fallback: scenario.fallback,
        port: opts.port,
        host: opts.host,
        requireApiKey: opts.requireApiKey,
        minCacheableTokens: opts.minCacheableTokens,
        onRequest: opts.record ? r => fs.appendFileSync(opts.record!, JSON.stringify({ method: r.method, path: r.path, headers: r.headers, body: r.body ?? r.rawBody }) + '\n') : undefined
    });
    process.stdout.write(`${server.url}\n`);
    const stop = (): void => {
        server.close().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch(err => {
        const code = (err as { code?: string }).code;
        if (typeof code === 'string' && code.startsWith('commander.')) {
            // commander already printed the usage problem (or the help text).
            process.exitCode = code === 'commander.helpDisplayed' ? 0 : 2;
            return;
        }
        process.stderr.write(`scripted-model-server: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    });
}
