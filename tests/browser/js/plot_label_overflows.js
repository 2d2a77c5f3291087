// In a model plot opened as its own document (the SVG file a page's <img> shows): each
// text of each node and cluster against its box, the smallest polygon, ellipse or path
// of that node (or cluster) holding the text's anchor point, and against the other texts
// on its line. The width measured is the ink from the first to the last non-blank glyph
// as this browser lays it out in the fonts it has. Returns how many texts were measured
// and each one that runs past its box or into another text, in the SVG's units (0.5 of
// slack for rounding).
() => {
  const slack = 0.5;
  const problems = [];
  let texts = 0;
  const box = (el) => {
    const b = el.getBBox();
    return { l: b.x, r: b.x + b.width, t: b.y, b: b.y + b.height };
  };
  const area = (s) => (s.r - s.l) * (s.b - s.t);
  for (const group of document.querySelectorAll("g.node, g.cluster")) {
    const name = group.querySelector("title")?.textContent;
    const shapes = [...group.querySelectorAll("polygon, ellipse, rect, path")].map(box);
    const lines = {};
    for (const text of group.querySelectorAll("text")) {
      const label = text.textContent;
      let first = label.search(/\S/);
      if (first < 0) continue;
      let last = label.length - 1 - [...label].reverse().join("").search(/\S/);
      if (text.getAttribute("xml:space") !== "preserve") {  // blanks at the ends dropped
        first = 0;
        last = text.getNumberOfChars() - 1;
      }
      texts++;
      const bbox = box(text);
      const ink = {
        ...bbox,
        l: text.getStartPositionOfChar(first).x,
        r: text.getEndPositionOfChar(last).x,
      };
      const x = +text.getAttribute("x"), y = +text.getAttribute("y");
      const holders = shapes.filter((s) => s.l <= x && x <= s.r && s.t <= y && y <= s.b);
      if (!holders.length) {
        problems.push(`${name}: "${label}" is in no box`);
        continue;
      }
      const cell = holders.reduce((a, s) => (area(s) < area(a) ? s : a));
      const over = Math.max(cell.l - ink.l, ink.r - cell.r, cell.t - ink.t, ink.b - cell.b);
      if (over > slack) problems.push(`${name}: "${label}" runs ${over.toFixed(1)} past its box`);
      (lines[y] ??= []).push({ ...ink, label });
    }
    for (const line of Object.values(lines)) {
      for (let i = 0; i < line.length; i++) for (let j = i + 1; j < line.length; j++) {
        const a = line[i], b = line[j];
        const overlap = Math.min(a.r, b.r) - Math.max(a.l, b.l);
        if (overlap > slack) {
          problems.push(`${name}: "${a.label}" and "${b.label}" overlap by ${overlap.toFixed(1)}`);
        }
      }
    }
  }
  return { texts, problems };
}
