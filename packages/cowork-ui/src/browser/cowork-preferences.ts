import { interfaces } from '@theia/core/shared/inversify';
import { createPreferenceProxy, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceService } from '@theia/core';

/**
 * The agent settings a user changes from the workbench. Left unset, the agent's own settings
 * (its settings.json and the environment) apply: only values the user set are sent.
 * The API key is deliberately not here: it goes to secure storage (command "Cowork: Set API Key").
 */
export const CoworkPreferenceSchema: PreferenceSchema = {
    properties: {
        'cowork.model': {
            type: 'string',
            default: '',
            description: 'The Claude model tasks use (for example claude-sonnet-5-5). Empty: the agent\'s settings file or COWORK_MODEL decides.'
        },
        'cowork.baseUrl': {
            type: 'string',
            default: '',
            description: 'The Anthropic API base URL. Empty: ANTHROPIC_BASE_URL or https://api.anthropic.com.'
        },
        'cowork.concurrency': {
            type: 'integer',
            default: 0,
            minimum: 0,
            description: 'How many sub-agents may run at the same time. 0: the agent\'s default.'
        },
        'cowork.networkAllowlist': {
            type: 'array',
            items: { type: 'string' },
            default: [],
            description: 'Domains the sandbox may reach (example.com, *.example.com). Empty: no network from the sandbox.'
        }
    }
};

export interface CoworkConfiguration {
    'cowork.model': string;
    'cowork.baseUrl': string;
    'cowork.concurrency': number;
    'cowork.networkAllowlist': string[];
}

export const CoworkPreferences = Symbol('CoworkPreferences');
export type CoworkPreferences = PreferenceProxy<CoworkConfiguration>;

export function bindCoworkPreferences(bind: interfaces.Bind): void {
    bind(CoworkPreferences).toDynamicValue(ctx => createPreferenceProxy(ctx.container.get(PreferenceService), CoworkPreferenceSchema)).inSingletonScope();
    bind(PreferenceContribution).toConstantValue({ schema: CoworkPreferenceSchema });
}
