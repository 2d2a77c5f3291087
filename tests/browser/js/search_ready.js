// Sphinx's search page has listed its results (`Search` is a global const, not on window).
() => typeof Search !== "undefined" &&
  Search.title?.innerText === Documentation.gettext("Search Results")
