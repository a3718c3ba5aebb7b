/** Opens a page in headless Chromium (Debian's, through playwright-core): what rendered, what the console said. */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export interface PageCheck {
  errors: string[]; // console errors and page errors
  requests: string[]; // every URL the page asked for besides itself
  /** `marks`: drawn data marks (a line per series, a path per bar or point), not axes or legends. */
  plots: { name: string; width: number; height: number; marks: number; downloads: string[] }[];
  tables: number;
  /** The record pictures (img.record) as decoded: their natural sizes (0 when the image did not decode). */
  pictures: { width: number; height: number }[];
  /** The page's visible text. */
  text: string;
}

let launched: Promise<Browser> | null = null;

/**
 * One Chromium per test file, launched by the first `openReport` (a launch costs seconds of CPU); each report
 * gets a fresh context, so no page sees another's state. A file that opens reports closes it in `afterAll`.
 */
function browser(): Promise<Browser> {
  launched ??= chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return launched;
}

/** Closes the Chromium `openReport` launched, if any. */
export async function closeBrowser(): Promise<void> {
  const b = launched;
  launched = null;
  await (await b?.catch(() => null))?.close(); // a launch that failed was reported by the openReport that tried
}

export async function openReport(file: string, screenshot?: string): Promise<PageCheck> {
  const context = await (await browser()).newContext({ viewport: { width: 1200, height: 900 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const self = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== self) requests.push(r.url());
    });
    await page.goto(self, { waitUntil: 'load' });
    const plots = await page.$$eval('figure.plot', (figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          name: f.getAttribute('data-plot') ?? '',
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: svg
            ? [...svg.querySelectorAll('.role-mark path')].filter((e) => (e.getAttribute('d') ?? '').length > 2).length
            : 0,
          downloads: [...f.querySelectorAll('figcaption a[download]')].map((a) => a.getAttribute('download') ?? ''),
        };
      }),
    );
    const pictures = await page.$$eval('img.record', (imgs) =>
      imgs.map((i) => {
        const img = i as unknown as { naturalWidth: number; naturalHeight: number };
        return { width: img.naturalWidth, height: img.naturalHeight };
      }),
    );
    const text = (await page.textContent('body')) ?? '';
    const tables = await page.$$eval('table', (t) => t.length);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { errors, requests, plots, tables, pictures, text };
  } finally {
    await context.close();
  }
}
