// For each output image: the mean luminance of its border pixels, drawn over the
// background the page gives it, so a transparent plot on a dark page counts as dark.
() => [...document.querySelectorAll(".cell_output img")].map((img) => {
  const canvas = document.createElement("canvas");
  const width = canvas.width = Math.max(1, Math.min(img.naturalWidth, 800));
  const height = canvas.height =
    Math.max(1, Math.round(width * img.naturalHeight / img.naturalWidth));
  const context = canvas.getContext("2d");
  let el = img, background = "rgba(0, 0, 0, 0)";
  while (el && /rgba\(0, 0, 0, 0\)|transparent/.test(background)) {
    background = getComputedStyle(el).backgroundColor;
    el = el.parentElement;
  }
  context.fillStyle = background;
  context.fillRect(0, 0, width, height);
  context.drawImage(img, 0, 0, width, height);
  const data = context.getImageData(0, 0, width, height).data;
  let sum = 0, count = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (x > 1 && y > 1 && x < width - 2 && y < height - 2) continue;
    const i = 4 * (y * width + x);
    sum += (0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]) / 255;
    count++;
  }
  return { src: img.getAttribute("src"), border: sum / count };
})
