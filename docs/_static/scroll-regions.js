// A box that scrolls sideways (a model summary, a long code line, a wide table) must be
// reachable by keyboard, or its hidden part is out of reach without a mouse (WCAG 2.1.1;
// axe: scrollable-region-focusable). Whether a box scrolls depends on the reader's
// screen, so this checks on load and on resize, and gives a tab stop only to the boxes
// that scroll now, instead of to every code block on the page.
(() => {
  const BOXES = "article pre, article .table-wrapper, article table, article .cell_output";

  const scrolls = (box) => {
    const style = getComputedStyle(box);
    const sideways = /auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth;
    const down = /auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight;
    return sideways || down;
  };

  const update = () => {
    for (const box of document.querySelectorAll(BOXES)) {
      if (scrolls(box)) {
        if (!box.hasAttribute("tabindex")) {
          box.tabIndex = 0;
          box.dataset.scrollRegion = "";
        }
      } else if (box.dataset.scrollRegion !== undefined) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollRegion;
      }
    }
  };

  let pending = 0;
  const later = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  addEventListener("load", update); // images and fonts change widths
  addEventListener("resize", later);
})();
