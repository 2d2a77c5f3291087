// The backend tabs (sphinxext/backend_tabs.py) switch on their own, as radio buttons. This
// makes a choice hold for every tab group of the page and, kept in localStorage, for the
// pages the reader opens next, as sphinx-design's synced tabs do.
const KEY = "keras-model-guide-backend";

function show(backend) {
  for (const input of document.querySelectorAll(`input.backend-tab[data-backend="${backend}"]`)) {
    input.checked = true;
  }
}

document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches?.("input.backend-tab")) return;
  show(input.dataset.backend);
  try {
    localStorage.setItem(KEY, input.dataset.backend);
  } catch {
    // Storage off (private windows, some settings): the choice holds on this page only.
  }
});

try {
  const chosen = localStorage.getItem(KEY);
  if (chosen) show(chosen);
} catch {
  // As above: no storage, the first tab (TensorFlow) shows.
}
