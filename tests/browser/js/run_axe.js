// axe-core's violations on the whole page; `options` as axe.run takes them.
async (options) => (await axe.run(document, options)).violations
