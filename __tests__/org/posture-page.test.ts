// posture.html in a real browser: the distribution's headless Chromium, driven by puppeteer-core.
// The page renders with no request beyond its own file and no console error (its
// Content-Security-Policy would report a blocked inline script or style there), every system
// appears, the filters, paging and links by fragment work, and values from hostile reports stay
// text. Skipped, saying why, where no Chromium is installed (apt-get install chromium).
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { renderPostureHtml } from "../../src/org/html.js";
import { mergeReports } from "../../src/org/merge.js";
import type { Posture } from "../../src/org/posture.js";
import type { Report } from "../../src/report/types.js";
import { syntheticReport, templateReports } from "./synthetic.js";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter((x): x is string => !!x);
const CHROMIUM = CANDIDATES.find((p) => existsSync(p));
const describeInBrowser = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) console.warn(`posture.html browser tests skipped: no Chromium at ${CANDIDATES.join(", ")} (apt-get install chromium, or set CHROMIUM_PATH)`);

const TODAY = "2026-11-27";
const XSS = `<img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>`;

/** 150 systems of 135 repositories, and one report whose every string is hostile. */
async function buildPosture(): Promise<{ posture: Posture; file: string }> {
  const templates = await templateReports(TODAY);
  const dir = mkdtempSync(join(tmpdir(), "aigate-page-"));
  const files: string[] = [];
  for (let i = 0; i < 135; i++) {
    const f = join(dir, `r${i}.json`);
    writeFileSync(f, JSON.stringify(syntheticReport(templates, i)));
    files.push(f);
  }
  const hostile: Report = syntheticReport(templates, 1000);
  hostile.repository = { name: `evil/${XSS}`, commit: null };
  const s = hostile.systems[0]!;
  for (const f of hostile.findings) if (f.system === s.name) f.system = XSS;
  s.name = XSS;
  s.manifest = `${XSS}/ai-system.yaml`;
  s.controls[0]!.title = XSS;
  s.threats.find((t) => t.applies)!.link = "javascript:window.__xss=3";
  s.acceptances = [{ id: XSS, target: XSS, approver: XSS, expires: "2026-12-01", accepted: 1, pending: false }];
  const hf = join(dir, "hostile.json");
  writeFileSync(hf, JSON.stringify(hostile));
  files.push(hf);
  const posture = await mergeReports(files, { cwd: dir, today: TODAY });
  const file = join(dir, "posture.html");
  writeFileSync(file, renderPostureHtml(posture));
  return { posture, file };
}

describeInBrowser("posture.html in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let posture: Posture;
  let url: string;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const built = await buildPosture();
    posture = built.posture;
    url = `file://${built.file}`;
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.setRequestInterception(true);
    page.on("request", (r) => {
      if (r.url().split("#")[0] !== url) requests.push(r.url());
      void (r.url().startsWith("file://") ? r.continue() : r.abort());
    });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warn") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${(e as Error).message}`));
    page.on("dialog", (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (hash = "") => {
    await page.goto("about:blank");
    await page.goto(url + hash, { waitUntil: "load" });
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  };
  const rowKeys = () => page.$$eval("#matrix tbody tr", (rows) => rows.map((r) => r.getAttribute("data-key")!));
  const info = () => page.$eval("#p-info", (e) => e.textContent ?? "");

  test("renders from its own file alone, with no error and nothing run from the reports", async () => {
    await open();
    expect(await page.$eval("h1", (e) => e.textContent)).toBe("AI security posture");
    expect(await page.$$eval("#totals .card", (c) => c.length)).toBe(10);
    expect(await page.$eval("#totals .card b", (e) => e.textContent)).toBe(posture.totals.systems.toLocaleString("en"));
    expect(await page.$$eval("#matrix thead th.ctl", (c) => c.length)).toBe(posture.controls.length);
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.$$eval("body img, body script:not([type])", (e) => e.length)).toBe(1);
  });

  test("every system appears: on one page of 500, and paging through pages of 50", async () => {
    await open();
    const all = posture.systems.map((s) => s.key);
    await page.select("#f-size", "500");
    expect((await rowKeys()).sort()).toEqual([...all].sort());
    await page.select("#f-size", "50");
    const seen: string[] = [];
    for (let p = 0; p < Math.ceil(all.length / 50); p++) {
      const keys = await rowKeys();
      expect(keys.length).toBe(Math.min(50, all.length - p * 50));
      seen.push(...keys);
      if (p < Math.ceil(all.length / 50) - 1) await page.click("#p-next");
    }
    expect(seen.sort()).toEqual([...all].sort());
    expect(await page.$eval("#p-next", (b) => (b as unknown as { disabled: boolean }).disabled)).toBe(true);
  });

  test("filters: search, verdict, control and status, threat; the counts match the posture", async () => {
    await open();
    await page.select("#f-size", "500");
    await page.type("#f-text", "payments");
    await page.keyboard.press("Enter");
    const payments = posture.systems.filter((s) => `${s.repository} ${s.name} ${s.manifest}`.toLowerCase().includes("payments"));
    expect((await rowKeys()).sort()).toEqual(payments.map((s) => s.key).sort());
    await page.click("#f-reset");
    await page.select("#f-size", "500");
    await page.select("#f-verdict", "failed");
    const failed = posture.systems.filter((s) => s.verdict === "failed");
    expect(await rowKeys()).toHaveLength(failed.length);
    expect(new Set(await page.$$eval("#matrix tbody td.verdict", (c) => c.map((x) => x.textContent)))).toEqual(new Set(["failed"]));
    const ci = posture.controls.findIndex((c) => Object.keys(c.counts).includes("F"));
    await page.select("#f-verdict", "");
    await page.select("#f-control", posture.controls[ci]!.id);
    await page.select("#f-status", "F");
    expect((await rowKeys()).sort()).toEqual(
      posture.systems
        .filter((s) => s.controls[ci] === "F")
        .map((s) => s.key)
        .sort(),
    );
    await page.click("#f-reset");
    await page.select("#f-size", "500");
    const ti = posture.threats.findIndex((t) => t.systems < posture.systems.length);
    await page.select("#f-threat", posture.threats[ti]!.id);
    expect(await rowKeys()).toHaveLength(posture.systems.filter((s) => s.threats.includes(ti)).length);
    expect(await info()).toContain(`(${posture.systems.length.toLocaleString("en")} in all)`);
    expect(problems).toEqual([]);
  });

  test("a view can be linked: the filters live in the fragment", async () => {
    await open("#verdict=passed&size=500");
    expect(await page.$eval("#f-verdict", (e) => (e as unknown as { value: string }).value)).toBe("passed");
    expect(await rowKeys()).toHaveLength(posture.systems.filter((s) => s.verdict === "passed").length);
    await page.select("#f-verdict", "not-evaluated");
    expect(await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe("#verdict=not-evaluated&size=500");
  });

  test("hostile values are shown as text, and a javascript: link is not a link", async () => {
    await open();
    await page.type("#f-text", "evil/");
    await page.keyboard.press("Enter");
    const cells = await page.$$eval("#matrix tbody tr td", (c) => c.slice(0, 2).map((x) => x.textContent));
    expect(cells).toEqual([`evil/${XSS}`, XSS]);
    await page.click("#matrix tbody tr");
    expect(await page.$eval("#detail h3", (e) => e.textContent)).toBe(`evil/${XSS} — ${XSS}`);
    const hrefs = await page.$$eval("#threats a", (a) => a.map((x) => x.getAttribute("href")));
    expect(hrefs.every((h) => h!.startsWith("https://"))).toBe(true);
    expect(await page.$$eval("#acceptances tbody td", (c, x) => c.some((td) => td.textContent === x), XSS)).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
