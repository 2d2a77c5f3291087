// On a phone: the page must not scroll sideways, every box must fit the screen, and a box
// whose content is wider must scroll inside itself (and be reachable by keyboard).
() => {
  const width = innerWidth;
  const article = document.querySelector("article") || document.body;
  const name = (el) => el.tagName.toLowerCase() +
    (el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : "");
  const outside = [], clipped = [], scrolling = [];
  const boxes = [];  // elements that scroll or clip: what is inside them may lie beyond
  for (const el of article.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const inside = boxes.some((outer) => outer.contains(el));
    if (!inside && box.width && (box.right > width + 1 || box.left < -1)) outside.push(name(el));
    if (style.overflowX !== "visible") boxes.push(el);
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      if (/auto|scroll/.test(style.overflowX)) {
        scrolling.push({
          box: name(el), focusable: el.tabIndex >= 0 || !!el.querySelector("a, button"),
        });
      } else if (/hidden|clip/.test(style.overflowX)) clipped.push(name(el));
    }
  }
  return {
    pageWidth: document.scrollingElement.scrollWidth, width,
    outside: outside.slice(0, 10), clipped: clipped.slice(0, 10), scrolling,
  };
}
