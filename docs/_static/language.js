// Keep the reader's place when switching language: carry the #anchor over, and
// remember the choice so the site's root page opens this language next time.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.language-link");
  if (!link) return;
  try { localStorage.setItem("keras-model-guide-language", link.dataset.language); } catch (_) {}
  if (location.hash) link.href = link.href.split("#")[0] + location.hash;
});
