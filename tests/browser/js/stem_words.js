// Stem each word with the search page's own JavaScript stemmer, as a query is stemmed.
(words) => { const stemmer = new Stemmer(); return words.map((w) => stemmer.stemWord(w.toLowerCase())); }
