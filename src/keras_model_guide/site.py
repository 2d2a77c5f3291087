"""The site's languages, names and address: one place for the build, nox and the tests.

Plain constants, no Sphinx: ``noxfile.py`` reads this file by path, before anything is
installed. English comes first: it is the source, and its build executes the pages.

>>> list(LANGUAGES), SITE_URL
(['en', 'ko'], 'https://keras-model-guide.readthedocs.io/')
"""

#: Language code -> the language's name as its readers write it (the language switch).
LANGUAGES = {"en": "English", "ko": "한국어"}
#: Language code -> Open Graph locale (``og:locale`` of link previews).
OG_LOCALES = {"en": "en_US", "ko": "ko_KR"}
#: The hosted site's root, holding ``en/`` and ``ko/`` (conf.py's ``html_baseurl``).
SITE_URL = "https://keras-model-guide.readthedocs.io/"
#: The site's name in each language: the sidebar, every <title> and the footer.
SITE_NAMES = {"en": "Keras Model guide", "ko": "Keras Model 가이드"}
AUTHORS = {"en": "Keras Model guide contributors", "ko": "Keras Model 가이드 기여자"}
