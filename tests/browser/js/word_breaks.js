// Where a line of text breaks inside a word: two letters with no space between them on
// different lines, at least one of them Hangul ("만|들고", "GAN|을"). Code, links to
// headings (the ¶) and outputs are left out. Returns the breaks and how many letters it read.
(selector) => {
  const hangul = /[\uac00-\ud7a3]/;
  const letter = /[\p{L}\p{N}]/u;
  const skip = "pre, code, kbd, samp, a.headerlink, .cell_output, .output";
  const found = [];
  let checked = 0;
  for (const block of document.querySelectorAll(selector)) {
    if (block.closest(skip)) continue;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let previous = null;  // the last letter read: {ch, top}
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(skip)) { previous = null; continue; }
      const text = node.textContent;
      const range = document.createRange();
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (!letter.test(ch)) { previous = null; continue; }
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rects = range.getClientRects();
        if (!rects.length) continue;
        const top = rects[0].top;
        checked++;
        if (previous && top > previous.top + 2 && (hangul.test(ch) || hangul.test(previous.ch))) {
          found.push(`${block.tagName.toLowerCase()}: ${previous.ch}|${ch} in ` +
            JSON.stringify(block.textContent.trim().slice(0, 60)));
        }
        previous = { ch, top };
      }
    }
  }
  return { found: found.slice(0, 20), checked };
}
