// The scripted model for the browser tests: it answers each task by its prompt, turn by turn, over
// the real Messages API wire format (SSE), so the workspace runs its production code path.
'use strict';
const { response, text, toolUse, errors } = require('@cowork/agent/lib/src/testing');

const STEER_TEXT = 'Use British spelling';

function firstUserText(body) {
    const first = body.messages.find(m => m.role === 'user');
    if (!first) {
        return '';
    }
    return typeof first.content === 'string' ? first.content : first.content.filter(b => b.type === 'text').map(b => b.text).join('\n');
}

function turnOf(body) {
    return body.messages.filter(m => m.role === 'assistant').length;
}

const todo = (content, status) => ({ content, status, activeForm: content.replace(/^(\w+)e?\b/, w => `${w.replace(/e$/, '')}ing`) });

/** @param {{ workspace: string }} env */
function createScenario(env) {
    const docs = `${env.workspace}/docs`;
    const tidy = [
        () => response([
            text('I will **tidy** the `docs` folder: first a plan, then the clean-up.\n\n- remove the old draft\n- write a summary'),
            toolUse('TodoWrite', { todos: [todo('Remove the old draft', 'in_progress'), todo('Write a summary', 'pending')] })
        ], { chunkDelayMs: 25, textChunkSize: 6 }),
        () => response([text('Removing the old draft.'), toolUse('Delete', { paths: ['old.txt'] })]),
        () => response([
            toolUse('Write', { file_path: `${docs}/summary.md`, content: '# Summary\n\nThe docs folder holds notes.md.\n' }),
            toolUse('TodoWrite', { todos: [todo('Remove the old draft', 'completed'), todo('Write a summary', 'completed')] })
        ]),
        () => response(text('Done: removed `old.txt` and wrote `summary.md`.'))
    ];
    const slow = [
        () => response([text('Starting a slow job.'), toolUse('TodoWrite', { todos: [todo('Do the slow part', 'in_progress')] })]),
        () => response([text(' Still working.'), toolUse('TodoWrite', { todos: [todo('Do the slow part', 'completed')] })], { delayMs: 4000 }),
        body => response(text(JSON.stringify(body.messages).includes(STEER_TEXT)
            ? ' Steered: I will use British spelling from now on.'
            : ' Finished without any steering.'))
    ];
    const script = prompt => {
        if (/tidy/i.test(prompt)) {
            return tidy;
        }
        if (/slow/i.test(prompt)) {
            return slow;
        }
        if (/parallel lanes/i.test(prompt)) {
            return [
                () => response([
                    text('Splitting the survey in two.'),
                    toolUse('Task', { description: 'Survey the notes', prompt: 'Lane A: count the notes in docs' }),
                    toolUse('Task', { description: 'Survey the drafts', prompt: 'Lane B: count the drafts in docs' })
                ]),
                () => response(text('Both lanes reported: one note and one draft.'))
            ];
        }
        if (/^Lane A/.test(prompt)) {
            return [() => response(text('Lane A found **one** note.'), { delayMs: 300 })];
        }
        if (/^Lane B/.test(prompt)) {
            return [() => response(text('Lane B found **one** draft.'), { delayMs: 300 })];
        }
        if (/two windows/i.test(prompt)) {
            return [
                () => response([text('Asking first.'), toolUse('Delete', { paths: ['docs/notes.md'] })], { delayMs: 1500 }),
                () => response(text('Removed the notes, as allowed from the other window.'))
            ];
        }
        if (/while hidden/i.test(prompt)) {
            // Time to hide the panel before the question comes.
            return [() => response(toolUse('Delete', { paths: ['docs/old.txt'] }), { delayMs: 2500 }), () => response(text('Left it in place.'))];
        }
        if (/fail/i.test(prompt)) {
            return [() => errors.invalid('prompt is too long: 250000 tokens > 200000 maximum')];
        }
        return [() => response(text('Hello from the scripted model.'))];
    };
    return {
        turns: [],
        fallback: body => {
            const turns = script(firstUserText(body));
            const turn = turns[Math.min(turnOf(body), turns.length - 1)];
            return turn(body);
        }
    };
}

module.exports = { createScenario, STEER_TEXT };
