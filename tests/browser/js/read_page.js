// The article's heading levels and its images with their alt text and drawn size.
() => {
  const article = document.querySelector("article") || document.body;
  const headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .map((h) => Number(h.tagName[1]));
  const images = [...article.querySelectorAll("img")].map((img) => ({
    src: img.getAttribute("src"),
    alt: img.getAttribute("alt"),
    output: !!img.closest(".cell_output"),
    natural: img.naturalWidth,
    width: img.getBoundingClientRect().width,
    height: img.getBoundingClientRect().height,
  }));
  return { headings, images };
}
