import * as React from '@theia/core/shared/react';
import { injectable } from '@theia/core/shared/inversify';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { OfficePreviewResult } from '../common/cowork-protocol';

/** An office file as LibreOffice renders it: page pictures, read-only, with the system app a click away. */
@injectable()
export class OfficePreviewWidget extends ReactWidget {
    static readonly ID = 'cowork-office-preview';

    protected preview: OfficePreviewResult | undefined;
    protected onOpenInSystemApp: (file: string) => void = () => undefined;
    protected onOpenPdf: (pdf: string) => void = () => undefined;

    constructor() {
        super();
        this.addClass('cowork-office-preview');
        this.title.closable = true;
        this.title.iconClass = 'codicon codicon-preview';
        this.node.tabIndex = 0;
    }

    setPreview(preview: OfficePreviewResult, actions: { openInSystemApp(file: string): void; openPdf(pdf: string): void }): void {
        this.preview = preview;
        this.onOpenInSystemApp = actions.openInSystemApp;
        this.onOpenPdf = actions.openPdf;
        const name = preview.file.split('/').pop() ?? preview.file;
        this.id = `${OfficePreviewWidget.ID}:${preview.file}`;
        this.title.label = `${name} (preview)`;
        this.title.caption = `${preview.file}, rendered by LibreOffice`;
        this.update();
    }

    protected override onActivateRequest(msg: Parameters<ReactWidget['onActivateRequest']>[0]): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected render(): React.ReactNode {
        const p = this.preview;
        if (!p) {
            return undefined;
        }
        return <div className='cowork-office-preview-content'>
            <div className='cowork-office-toolbar'>
                <span className='cowork-hint'>Rendered by LibreOffice · {p.pageCount} page{p.pageCount === 1 ? '' : 's'} · read-only</span>
                <button className='theia-button cowork-open-system' onClick={() => this.onOpenInSystemApp(p.file)}>Open in System App</button>
                <button className='theia-button secondary' onClick={() => this.onOpenPdf(p.pdf)}>Open PDF</button>
            </div>
            {p.pages.map((src, i) => <img key={i} className='cowork-office-page' src={src} alt={`Page ${i + 1}`} />)}
            {p.pageCount > p.pages.length && <div className='cowork-hint'>{p.pageCount - p.pages.length} more pages: open the PDF to see them.</div>}
        </div>;
    }
}
