import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { editTool } from './edit';
import { makeToolBed, ToolBed } from '../../test/tool-context';

describe('Edit tool', () => {
    let bed: ToolBed;
    beforeEach(() => {
        bed = makeToolBed();
        fs.writeFileSync(bed.at('memo.md'), 'Dear team,\nthe price is $5.\nRegards,\nthe team\n');
    });
    afterEach(() => bed.cleanup());

    const edit = (old_string: string, new_string: string, replace_all?: boolean) =>
        editTool.run({ file_path: bed.at('memo.md'), old_string, new_string, ...(replace_all === undefined ? {} : { replace_all }) }, bed.ctx());
    const rejection = async (p: Promise<unknown>) => {
        try {
            await p;
        } catch (e) {
            return (e as Error).message;
        }
        throw new Error('expected a refusal');
    };
    const memo = () => fs.readFileSync(bed.at('memo.md'), 'utf8');

    it('replaces a unique string, literally, without asking, and can be undone', async () => {
        const r = await edit('the price is $5.', 'the price is $& $1 $$6.');
        expect(r.content).to.equal(`Edited ${bed.at('memo.md')}: 1 replacement`);
        expect(memo()).to.equal('Dear team,\nthe price is $& $1 $$6.\nRegards,\nthe team\n');
        expect(bed.asked).to.have.length(0);
        expect(bed.eventsOf('file.changed')[0]).to.include({ change: 'modified' });
        await bed.journal.undo();
        expect(memo()).to.equal('Dear team,\nthe price is $5.\nRegards,\nthe team\n');
    });

    it('says when the text is not there, and changes nothing', async () => {
        const msg = await rejection(edit('the price is $6.', 'x'));
        expect(msg).to.include('not found');
        expect(memo()).to.include('$5.');
        expect(bed.journal.entries()).to.have.length(0);
    });

    it('refuses an ambiguous string and says how often it occurs', async () => {
        const msg = await rejection(edit('team', 'crew'));
        expect(msg).to.include('occurs 2 times').and.include('replace_all');
        expect(memo()).to.include('Dear team');
    });

    it('replaces every occurrence with replace_all', async () => {
        const r = await edit('team', 'crew', true);
        expect(r.content).to.include('2 replacements');
        expect(memo()).to.equal('Dear crew,\nthe price is $5.\nRegards,\nthe crew\n');
    });

    it('refuses a named pipe at once', async () => {
        execFileSync('mkfifo', [bed.at('pipe')]);
        expect(await rejection(editTool.run({ file_path: bed.at('pipe'), old_string: 'a', new_string: 'b' }, bed.ctx()))).to.include('not a regular file');
    });

    it('rejects no-op and empty edits and missing files', async () => {
        expect(await rejection(edit('team', 'team'))).to.include('the same');
        expect(await rejection(edit('', 'x'))).to.include('empty');
        expect(await rejection(editTool.run({ file_path: bed.at('none.md'), old_string: 'a', new_string: 'b' }, bed.ctx()))).to.include('does not exist');
    });
});
