// Office benchmark: writing 100,000 rows × 10 columns (one formula column) as .xlsx with the
// streaming writer, beside writing the same rows as CSV (time and peak memory, each in its own
// process so peak RSS is its own); a 100-slide deck with text fitting beside plain pptxgenjs; and
// one Check (LibreOffice recalculation + PDF render + schema validation) of a 20-sheet workbook
// beside a bare LibreOffice conversion of the same file.
// Run after `npm run build`: node bench/office.mjs
import { createRequire } from 'module';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const office = require(path.join(root, 'packages/cowork-office/lib/src/index.js'));
const ROWS = 100_000;

function line(name, value, unit, base, baseUnit = unit) {
    const ratio = base > 0 ? (value / base).toFixed(2) : 'n/a';
    console.log(`${name}: ${fmt(value)} ${unit} (baseline: ${fmt(base)} ${baseUnit}, ratio ${ratio}x)`);
}

function fmt(n) {
    return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function rows() {
    const out = new Array(ROWS);
    for (let i = 0; i < ROWS; i++) {
        const r = i + 2;
        out[i] = [i + 1, `item-${i}`, ['North', 'South', 'East', 'West'][i % 4], (i * 37) % 1000 / 10, i % 12 + 1, 2024, (i * 13) % 500, `note ${i % 97}`, i % 2 === 0, `=D${r}*G${r}`];
    }
    return out;
}

/** One case in a child process: prints {ms, rssMb, bytes}. */
async function runCase(kind, file) {
    const data = rows();
    const t0 = process.hrtime.bigint();
    if (kind === 'csv') {
        const stream = fs.createWriteStream(file);
        stream.write('id,item,region,price,month,year,qty,note,flag,total\n');
        for (const r of data) {
            // The CSV gets the computed value where the workbook keeps a live formula.
            const line = [...r.slice(0, 9), r[3] * r[6]].map(v => typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v).join(',');
            if (!stream.write(line + '\n')) {
                await new Promise(res => stream.once('drain', res));
            }
        }
        await new Promise(res => stream.end(res));
    } else {
        await office.writeWorkbookStreaming({
            sheets: [{ name: 'Data', columns: ['id', 'item', 'region', 'price', 'month', 'year', 'qty', 'note', 'flag', 'total'].map(header => ({ header })), rows: data, freeze: { rows: 1 } }]
        }, file);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, bytes: fs.statSync(file).size }));
}

function child(kind, file) {
    const res = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--case', kind, file], { encoding: 'utf8' });
    if (res.status !== 0) {
        throw new Error(`${kind} case failed: ${res.stderr}`);
    }
    return JSON.parse(res.stdout.trim().split('\n').pop());
}

async function main() {
    if (process.argv[2] === '--case') {
        await runCase(process.argv[3], process.argv[4]);
        return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-office-'));
    try {
        const csv = child('csv', path.join(dir, 'rows.csv'));
        const xlsx = child('xlsx', path.join(dir, 'rows.xlsx'));
        line('xlsx 100k rows x 10 cols (1 formula col), write time', xlsx.ms, 'ms', csv.ms);
        line('xlsx 100k rows x 10 cols, peak RSS', xlsx.rssMb, 'MB', csv.rssMb);
        line('xlsx 100k rows x 10 cols, file size', xlsx.bytes / 1e6, 'MB', csv.bytes / 1e6);

        const slides = Array.from({ length: 100 }, (_, i) => ({ layout: 'content', title: `Slide ${i + 1}: results of workstream ${i % 7}`, bullets: Array.from({ length: 5 }, (_, j) => `Point ${j + 1} of slide ${i + 1}: a sentence of ordinary length about progress, risks and next steps`) }));
        let t0 = performance.now();
        const deck = await office.buildDeck({ slides });
        const deckMs = performance.now() - t0;
        const PptxGenJS = require(require.resolve('pptxgenjs', { paths: [path.join(root, 'packages/cowork-office')] }));
        t0 = performance.now();
        const raw = new PptxGenJS();
        raw.layout = 'LAYOUT_16x9';
        for (const s of slides) {
            const slide = raw.addSlide();
            slide.addText(s.title, { x: 0.5, y: 0.25, w: 9, h: 0.9, fontSize: 32, bold: true });
            slide.addText(s.bullets.map(text => ({ text, options: { bullet: true, breakLine: true } })), { x: 0.5, y: 1.25, w: 9, h: 3.9, fontSize: 24 });
        }
        await raw.write({ outputType: 'nodebuffer' });
        const rawMs = performance.now() - t0;
        line(`deck of 100 slides with text fitting (${deck.summary.slides} slides out)`, deckMs, 'ms', rawMs);

        const sheets = Array.from({ length: 20 }, (_, s) => ({
            name: `Sheet${s + 1}`,
            columns: [{ header: 'n' }, { header: 'x' }, { header: 'n*x' }, { header: 'running' }],
            rows: Array.from({ length: 200 }, (_, i) => [i + 1, (i * 7) % 13, `=A${i + 2}*B${i + 2}`, i === 0 ? '=C2' : `=D${i + 1}+C${i + 2}`]),
            cells: { F1: 'Total', G1: `=SUM(C2:C201)`, G2: s > 0 ? `=Sheet${s}!G1+G1` : '=G1' }
        }));
        const book = path.join(dir, 'twenty.xlsx');
        fs.writeFileSync(book, (await office.buildWorkbook({ sheets })).bytes);
        const lo = office.sharedLibreOffice();
        await lo.convert([book], 'xlsx', path.join(dir, 'warm'));
        t0 = performance.now();
        await lo.convert([book], 'xlsx', path.join(dir, 'bare'));
        const bareMs = performance.now() - t0;
        t0 = performance.now();
        const [report] = await office.checkOfficeFiles([book], { outDir: path.join(dir, 'check'), pngPages: 2 });
        const checkMs = performance.now() - t0;
        if (report.workbook.errorCells.length !== 0 || report.workbook.formulas !== 20 * 400 + 40) {
            throw new Error(`unexpected check result: ${office.formatCheckReport(report)}`);
        }
        line(`Check of a 20-sheet workbook (${report.workbook.formulas} formulas, ${report.render.pages} pages rendered)`, checkMs, 'ms', bareMs);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
