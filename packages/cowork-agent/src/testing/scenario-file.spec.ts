import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadScenarioFile } from './scenario-file';
import { toResponseSpec } from './scenario';

describe('scenario files', () => {
    let dir: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-'));
    });

    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loads static turns from JSON, as an array or with a fallback', () => {
        const a = path.join(dir, 'a.json');
        fs.writeFileSync(a, JSON.stringify([{ type: 'text', text: 'hi' }, { kind: 'http_error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' }]));
        expect(loadScenarioFile(a).turns).to.have.length(2);
        const b = path.join(dir, 'b.json');
        fs.writeFileSync(b, JSON.stringify({ turns: [], fallback: [{ type: 'text', text: 'again' }] }));
        expect(loadScenarioFile(b).fallback).to.deep.equal([{ type: 'text', text: 'again' }]);
    });

    it('says what is wrong with a bad file', () => {
        const bad = path.join(dir, 'bad.json');
        fs.writeFileSync(bad, '[{');
        expect(() => loadScenarioFile(bad)).to.throw(`scenario file ${bad} is not valid JSON`);
        const wrong = path.join(dir, 'wrong.json');
        fs.writeFileSync(wrong, '{"answers": []}');
        expect(() => loadScenarioFile(wrong)).to.throw('must export an array of turns or { turns: [...], fallback? }');
    });

    it('checks turn shapes when they are used, naming the turn and block', () => {
        expect(() => toResponseSpec([{ type: 'image' } as never], 'scenario turn 3')).to.throw('scenario turn 3, block 0: unknown block type "image"');
        expect(() => toResponseSpec({ kind: 'http_error', status: 200, errorType: 'x', message: 'y' }, 'scenario turn 1')).to.throw('status must be 400-599');
    });
});
