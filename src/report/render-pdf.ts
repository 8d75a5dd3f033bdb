import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './browser.js';

/**
 * Prints report.html to PDF with headless Chromium. Waits until the inline script has drawn every
 * chart (`window.__chartsReady`), so the PDF carries the same charts as the page.
 */
export async function renderReportPdf(htmlPath: string, pdfPath: string, chromiumBinary?: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: chromiumPath(chromiumBinary), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForFunction(() => (globalThis as { __chartsReady?: boolean }).__chartsReady === true, undefined, { timeout: 30_000 });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({
      path: pdfPath, format: 'A4', printBackground: true,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true, headerTemplate: '<span></span>',
      footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;color:#57606a">auditlake report · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
    });
  } finally {
    await browser.close();
  }
}
