// Resolve after the next paint, so a new viewport size has been laid out.
() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)))
