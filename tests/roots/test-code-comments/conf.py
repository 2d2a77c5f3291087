extensions = ["myst_nb", "keras_model_guide.sphinxext.translation"]
language = "ko"
locale_dirs = ["locales/"]
gettext_compact = False
gettext_allow_fuzzy_translations = False
nb_execution_mode = "off"  # the code is shown, never run: no kernel in the fast tests
