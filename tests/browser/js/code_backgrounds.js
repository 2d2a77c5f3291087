// The background of each code and output block, as luminance: shows dark mode took effect.
() => [...document.querySelectorAll("article div.highlight")].map((box) => {
  const [r, g, b] = getComputedStyle(box).backgroundColor.match(/\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
})
