import type { RuntimeExtension } from '../../runtime/cowork-runtime';
import type { Tool } from '../../tool';
import { analyzeDataTool } from './analyze-data-tool';
import { chartTool } from './chart-tool';
import { checkOfficeTool } from './check-office-tool';
import { deckTool } from './deck-tool';
import { documentTool } from './document-tool';
import { readDocumentTool } from './read-document-tool';
import { spreadsheetTool } from './spreadsheet-tool';

export { analyzeDataTool, chartTool, checkOfficeTool, deckTool, documentTool, readDocumentTool, spreadsheetTool };

/** The office tools, in a fixed order (the tool list is part of the cached prompt prefix). */
export function createOfficeTools(): Tool[] {
    return [readDocumentTool, analyzeDataTool, spreadsheetTool, documentTool, deckTool, chartTool, checkOfficeTool];
}

/** What the model should know about making office files, for the system prompt. */
export const OFFICE_GUIDANCE = 'Office files: make workbooks with Spreadsheet (live formulas, never pre-computed numbers), documents with Document '
    + '(Markdown), decks with Deck, chart pictures with Chart; read PDFs, office files and receipt pictures with ReadDocument; analyse tabular '
    + 'data with AnalyzeData (SQL). Before saying an office file is done, run CheckOffice on it and fix every error cell, overflow and '
    + 'schema problem it reports.';

/** The office tools and their guidance as a runtime extension (see runtime/default-extensions.ts). */
export function officeExtension(): RuntimeExtension {
    return {
        tools: () => createOfficeTools(),
        systemSections: () => [OFFICE_GUIDANCE]
    };
}
