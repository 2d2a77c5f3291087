// The site's search page, on a Pagefind index of this language's pages (built after the
// HTML by keras_model_guide.sphinxext.pagefind_search into _pagefind/). Everything is served by the site
// itself: no request leaves it.
//
// Three things Pagefind does not do on its own, all on the query only:
// - Korean glues particles to words (모델을, 입력이). Pagefind matches a query word as a
//   prefix of the page's words, so 모델 finds 모델을, but 모델을 does not find 모델: the
//   query's particles are taken off first.
// - Pagefind lists only the pages that hold every word. Readers type words a page does
//   not use ("Keras 3에서 바뀐 점"), so pages holding only some of the words follow,
//   ranked by the sum of their words' scores.
// - Code typed as code (training=False) is one word to Pagefind, which no page holds: the
//   query is split at = ( ) and commas into the names the index holds.

/** Particles (조사) and endings, longest first; taken off the end of a Korean query word. */
const ENDINGS = [
  "으로부터", "에서부터", "이라는", "으로서", "으로써", "에게서", "이라고", "에서는",
  "에서의", "으로는", "까지", "부터", "에서", "에게", "으로", "로서", "로써", "처럼",
  "보다", "마다", "라는", "이란", "라고", "하고", "이나", "이랑", "하는", "하기",
  "되는", "하면", "된", "한", "을", "를", "이", "가", "은", "는", "의", "에", "와",
  "과", "로", "도", "만", "인", "란", "나",
];
const HANGUL = /[\uac00-\ud7a3]$/;

/**
 * The query as Pagefind should see it: each Korean word without its particles, and code
 * typed as code (`training=False`, `fit(x, y)`) split into its names, as the index holds them.
 */
export function queryWords(query) {
  const words = query.normalize("NFC").toLowerCase().split(/[\s=(),]+/).filter(Boolean);
  return words.map((word) => {
    if (!HANGUL.test(word)) return word;
    for (const ending of ENDINGS) {
      if (word.length > ending.length + 1 && word.endsWith(ending)) {
        return word.slice(0, -ending.length);
      }
    }
    return word;
  });
}

let pagefind = null;
async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("../_pagefind/pagefind.js", import.meta.url).href);
    await pagefind.options({ excerptLength: 24 });
  }
  return pagefind;
}

/** The query words that start a word of `text` (that is how Pagefind matches words). */
function wordsIn(text, words) {
  const own = text.normalize("NFC").toLowerCase().split(/[^\p{L}\p{N}_]+/u);
  return words.filter((word) => own.some((w) => w.startsWith(word)));
}

/** The words of a page's file name: ".../keras3-changes.html" -> "keras 3 changes". */
function fileWords(url) {
  const name = url.split("/").pop().replace(/\.html$/, "");
  return name.replace(/(\d+)/g, " $1 ").replace(/[-_]/g, " ");
}

/** Each page's [address, title] by its Pagefind id (pages.json, written with the index). */
let titles = null;
async function pageTitles() {
  titles ??= fetch(new URL("../_pagefind/pages.json", import.meta.url)).then((r) => r.json());
  return titles;
}

/**
 * Pages for `query`, best first: [{data, score}] for the first `count` pages.
 *
 * A page scores the sum of its Pagefind scores for each query word; a word in the page's
 * title counts twice, and a page holding every word gets half as much again. Then each
 * query word that the page's file name holds (sequential.html, keras3-changes.html) adds
 * its share of the query: all of them double the score. Titles and file names come from
 * pages.json, so only the pages shown load their excerpts.
 */
export async function rank(query, count = 10) {
  const words = queryWords(query);
  if (!words.length) return [];
  const [search, known] = await Promise.all([engine(), pageTitles()]);
  const every = new Set((await search.search(words.join(" "))).results.map((r) => r.id));
  const pages = new Map();
  const perWord = await Promise.all(words.map((word) => search.search(word)));
  perWord.forEach(({ results }, index) => {
    for (const r of results) {
      const page = pages.get(r.id) ?? { result: r, scores: new Map() };
      page.scores.set(words[index], r.score);
      pages.set(r.id, page);
    }
  });
  for (const page of pages.values()) {
    const [url, title] = known[page.result.id] ?? ["", ""];
    page.score = [...page.scores.values()].reduce((a, b) => a + b, 0);
    for (const word of wordsIn(title, [...page.scores.keys()])) {
      page.score += page.scores.get(word);
    }
    if (every.has(page.result.id)) page.score *= 1.5;
    // A page's file name names its topic, so each query word in it raises the score.
    page.score *= 1 + wordsIn(fileWords(url), words).length / words.length;
  }
  const best = [...pages.values()].sort((a, b) => b.score - a.score).slice(0, count);
  await Promise.all(best.map(async (page) => (page.data = await page.result.data())));
  return best;
}

// -- The page: docs/_templates/search.html ----------------------------------------------

const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

/** One result: the page's title as a link, then Pagefind's excerpt (words marked). */
function item({ data }) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title ?? data.url;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text; only <mark> is markup
  li.append(link, excerpt);
  return li;
}

async function show(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = status.dataset.searching;
  const pages = await rank(query);
  if (input.value !== query) return; // the reader typed on; a newer search will show
  list.replaceChildren(...pages.map(item));
  const message = pages.length === 1 ? status.dataset.one : status.dataset.many;
  status.textContent = pages.length ? message.replace("%(count)s", pages.length) : status.dataset.none;
}

if (form) {
  let timer = null;
  input.value = new URLSearchParams(location.search).get("q") ?? "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    history.replaceState(null, "", `?q=${encodeURIComponent(input.value)}`);
    show(input.value);
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => form.requestSubmit(), 250);
  });
  show(input.value);
}
