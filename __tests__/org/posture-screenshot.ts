// Writes docs/posture.png, the README's picture of posture.html: 60 synthetic systems (the bundled
// examples varied per system, see synthetic.ts) merged as `aigate merge` does, compared with a
// previous posture of 50 of them, and shown by the distribution's headless Chromium.
//   npx tsx __tests__/org/posture-screenshot.ts [out.png]
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { buildPosture, compare, digestReport, type Catalogue } from "../../src/org/posture.js";
import { renderPostureHtml } from "../../src/org/html.js";
import { packageRoot } from "../../src/util/package-root.js";
import { syntheticReport, templateReports } from "./synthetic.js";

const TODAY = "2026-11-27";
const out = process.argv[2] ?? join(packageRoot(), "docs", "posture.png");
const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (!chromium) throw new Error("no Chromium found: apt-get install chromium, or set CHROMIUM_PATH");

const templates = await templateReports(TODAY);
const posture = (n: number, previous = null as ReturnType<typeof buildPosture> | null) => {
  const cat: Catalogue = { controls: new Map(), threats: new Map(), rules: new Map() };
  const digests = Array.from({ length: n }, (_, i) => digestReport(syntheticReport(templates, i, { systems: 1 }), "", cat)).flat();
  const p = buildPosture(digests, cat, {
    today: TODAY,
    generatedAt: `${TODAY}T07:00:00.000Z`,
    version: "0.1.0",
    inputs: { files: n, reports: n, invalid: [], duplicates: 0 },
  });
  if (previous) p.change = compare(p, previous);
  return p;
};
const page = renderPostureHtml(posture(60, posture(50)), { title: "Acme: AI security posture" });
const dir = mkdtempSync(join(tmpdir(), "aigate-shot-"));
writeFileSync(join(dir, "posture.html"), page);

const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const tab = await browser.newPage();
  await tab.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
  await tab.goto(`file://${join(dir, "posture.html")}#verdict=failed&sort=failing`);
  await tab.waitForSelector("body[data-ready=true]");
  await tab.screenshot({ path: out as `${string}.png`, clip: { x: 0, y: 0, width: 1280, height: 900 } });
} finally {
  await browser.close();
}
console.log(`wrote ${out}`);
