// Wait for web fonts and images, so sizes and screenshots are final.
async () => {
  await document.fonts.ready;
  await Promise.all(
    [...document.images].map((img) =>
      img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; })),
  );
}
