// Run Lighthouse (mobile preset) on many pages with ONE Chrome, and print one JSON line
// per page: {"url", "seconds", "scores": {category: 0-100}, "failing": [{id, title, score,
// displayValue}]}. tests/test_web_checkers.py calls this; run it by hand with
//
//   CHROME_PATH=/usr/bin/chromium node tests/lighthouse_pages.mjs \
//     docs/_build/webcheck/node_modules http://127.0.0.1:8000/en/index.html ...
//
// With LIGHTHOUSE_REPORTS=<folder> it also writes each page's full report there.
//
// One Chrome for every page saves its start-up (a second or two per page on a slow
// machine); Lighthouse opens a fresh tab with a cleared cache for each page, so pages
// never share state. The first argument is the node_modules folder holding lighthouse.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...urls] = process.argv.slice(2);
if (!modules || urls.length === 0) {
  console.error("usage: node lighthouse_pages.mjs NODE_MODULES URL...");
  process.exit(2);
}
const load = (name, file) => import(pathToFileURL(path.join(modules, name, file)).href);
const { default: lighthouse } = await load("lighthouse", "core/index.js");
const chromeLauncher = await load("chrome-launcher", "dist/index.js");

// The flags the issue names: a quiet, reproducible headless Chromium (no updates, no
// sync, no background traffic that would land in the network trace).
const chromeFlags = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const categories = ["performance", "accessibility", "best-practices", "seo"];

const chrome = await chromeLauncher.launch({ chromeFlags });
try {
  for (const url of urls) {
    const started = performance.now();
    // No config: Lighthouse's default IS the mobile preset (Moto G Power screen,
    // simulated slow 4G, 4x CPU slowdown).
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: categories,
    });
    const lhr = result.lhr;
    if (process.env.LIGHTHOUSE_REPORTS) {
      // Full reports, for a person to open in the Lighthouse viewer after a failure.
      const name = new URL(url).pathname.replace(/^\//, "").replace(/[/]/g, "_") || "root";
      fs.mkdirSync(process.env.LIGHTHOUSE_REPORTS, { recursive: true });
      fs.writeFileSync(path.join(process.env.LIGHTHOUSE_REPORTS, `${name}.json`), result.report);
    }
    const scores = {};
    const failing = [];
    for (const id of categories) {
      const category = lhr.categories[id];
      scores[id] = category.score === null ? null : Math.round(category.score * 100);
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        // A failing audit: scored, below 0.9 (Lighthouse's own "passed" line), and
        // either weighted in the score or an opportunity with savings to name.
        if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== "informative") {
          failing.push({
            category: id,
            id: ref.id,
            weight: ref.weight,
            title: audit.title,
            score: audit.score,
            displayValue: audit.displayValue ?? "",
          });
        }
      }
    }
    const metrics = {};
    for (const id of [
      "first-contentful-paint",
      "largest-contentful-paint",
      "total-blocking-time",
      "cumulative-layout-shift",
      "speed-index",
    ]) {
      metrics[id] = lhr.audits[id]?.numericValue ?? null;
    }
    const runtimeError = lhr.runtimeError ? lhr.runtimeError.message : null;
    const warnings = lhr.runWarnings ?? [];
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ url, seconds, scores, metrics, failing, runtimeError, warnings }));
  }
} finally {
  await chrome.kill();
}
