// An anchor deep in the page (the second section), to follow through the language switch.
() => {
  const article = document.querySelector("article") || document.body;
  const sections = [...article.querySelectorAll("section[id]")].map((s) => s.id);
  return sections[1] || article.querySelector("[id]")?.id || null;
}
