/*
 * Korean query stemming for Sphinx's search page: the JavaScript twin of
 * SearchKorean.stem in korean_search.py, which builds language_data.js from this file.
 * KOREAN_SUFFIXES (longest first), EnglishStemmer and `stopwords` are defined above it.
 */
var Stemmer = function () {
  const english = new EnglishStemmer();
  const hangul = /[\uac00-\ud7a3]/;

  // Remove particles and endings from the end, longest first, until none is left;
  // keep an ending whose removal would leave nothing or a stop word.
  const stripEndings = (word) => {
    if (stopwords.has(word)) return word; // a bare particle (으로) stays whole, not 으
    let stripped = true;
    while (stripped) {
      stripped = false;
      for (const suffix of KOREAN_SUFFIXES) {
        const rest = word.slice(0, -suffix.length);
        if (word.endsWith(suffix) && rest && !stopwords.has(rest)) {
          word = rest;
          stripped = true;
          break;
        }
      }
    }
    return word;
  };

  this.stemWord = (word) => {
    word = word.toLowerCase();
    let stem = stripEndings(word);
    if (!hangul.test(stem)) stem = english.stemWord(stem);
    // English stemming can land on a stop word (ours -> our): keep the word then.
    return stopwords.has(stem) ? word : stem;
  };
};
