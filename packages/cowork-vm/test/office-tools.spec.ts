import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { sandbox, tempDir } from './sandbox-fixture';

describe('office tools inside the sandbox', function () {
    this.timeout(120_000);
    let grant: string;

    before(() => {
        grant = tempDir('office');
        fs.writeFileSync(path.join(grant, 'sales.csv'), 'region,q1,q2\nNorth,10,12\nSouth,7,9\n');
    });
    after(() => fs.rmSync(grant, { recursive: true, force: true }));

    it("uses Debian's python3 with pandas, openpyxl, python-docx, xlsxwriter and pypdf", async () => {
        const r = await sandbox.run({ command: 'command -v python3; python3 -c "import pandas, openpyxl, docx, xlsxwriter, pypdf; print(\'imports ok\')"', cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
        r.changes.discard();
        expect(r.stderr).to.equal('');
        expect(r.stdout).to.equal('/usr/bin/python3\nimports ok\n');
    });

    it('pandas reads a CSV and writes an xlsx', async () => {
        const script = "import pandas as pd; df = pd.read_csv('sales.csv'); df['total'] = df.q1 + df.q2; df.to_excel('sales.xlsx', index=False); print(df.total.sum())";
        const r = await sandbox.run({ command: `python3 -c "${script}"`, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
        expect(r.stdout.trim(), r.stderr).to.equal('38');
        const created = r.changes.changes.find(c => c.path === path.join(grant, 'sales.xlsx'));
        expect(created?.kind).to.equal('created');
        r.changes.apply();
        r.changes.discard();
        expect(fs.readFileSync(path.join(grant, 'sales.xlsx')).subarray(0, 2).toString()).to.equal('PK');
    });

    it('LibreOffice computes a formula saved without a cached value (openpyxl) inside the sandbox', async () => {
        const py = "import openpyxl; wb = openpyxl.Workbook(); ws = wb.active; ws['A1'] = 20; ws['A2'] = 22; ws['A3'] = '=A1+A2'; wb.save('calc.xlsx')";
        const r = await sandbox.run({ command: `python3 -c "${py}" && soffice --headless --norestore --convert-to csv --outdir . calc.xlsx >/dev/null 2>&1 && cat calc.csv`, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
        r.changes.discard();
        expect(r.stdout.trim().split(/\r?\n/), r.stderr).to.deep.equal(['20', '22', '42']);
    });

    it('LibreOffice converts a workbook to PDF with the seeded home profile, and poppler reads it back', async () => {
        const command = [
            'grep -c RecalcMode ~/.config/libreoffice/4/user/registrymodifications.xcu',
            'soffice --headless --norestore --convert-to pdf --outdir . sales.xlsx',
            'pdftotext -layout sales.pdf -'
        ].join(' && ');
        const r = await sandbox.run({ command, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
        try {
            expect(r.exitCode, r.stderr).to.equal(0);
            expect(r.stdout.split('\n')[0]).to.equal('2');
            expect(r.stdout).to.match(/North\s+10\s+12\s+22/);
            expect(r.changes.changes.map(c => path.basename(c.path))).to.include('sales.pdf');
        } finally {
            r.changes.discard();
        }
    });
});
