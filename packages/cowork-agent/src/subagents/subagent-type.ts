/** What a sub-agent is: the `subagent_type` the Task tool names, its tools, model, turn budget and prompt. */
export interface SubagentType {
    /** The name the model passes as subagent_type (a plugin's agents are `plugin:name`). */
    name: string;
    description: string;
    /** Tools it may use; undefined = all of the parent's (never more). */
    tools?: string[];
    /** `inherit`, an alias (`sonnet`, `opus`, `haiku`) or a model id; undefined = the parent's model. */
    model?: string;
    maxTurns?: number;
    systemPrompt: string;
}

export const GENERAL_PURPOSE: SubagentType = {
    name: 'general-purpose',
    description: 'A general-purpose agent for one self-contained workstream: research across files, drafting one part of a ' +
        'deliverable, processing one batch of inputs. It has the same tools and folders as you.',
    maxTurns: 100,
    systemPrompt: 'You are a sub-agent working on one workstream of a larger task. Do exactly the job in your prompt, using ' +
        'your tools, then finish with a concise report of what you did, what you produced (absolute paths) and anything left ' +
        'open. Your final message is all the parent agent sees; put every result it needs in it. Do not edit files another ' +
        'workstream owns.'
};

/**
 * The model a sub-agent runs on. Aliases map to the parent's model family where they agree, and
 * otherwise to the parent's model: an endpoint may serve only one model, so an alias never
 * invents an id the user did not configure.
 */
export function modelFor(type: SubagentType, parentModel: string): string {
    const m = type.model?.trim();
    if (!m || m === 'inherit') {
        return parentModel;
    }
    if (/^claude-/.test(m)) {
        return m;
    }
    return parentModel;
}
