extensions = ["keras_model_guide.sphinxext.translation"]
language = "ko"
locale_dirs = ["locales/"]
gettext_compact = False
gettext_allow_fuzzy_translations = False
