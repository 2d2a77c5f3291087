// Wait for web fonts and images, so sizes and screenshots are final. Figures far down a
// page are loading="lazy" (keras_model_guide.sphinxext.html_output): a lazy image that is never scrolled
// to never loads, so make every image load now.
async () => {
  for (const img of document.images) img.loading = "eager";
  await document.fonts.ready;
  await Promise.all(
    [...document.images].map((img) =>
      img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; })),
  );
}
