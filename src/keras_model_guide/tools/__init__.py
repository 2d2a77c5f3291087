"""Command-line tools the nox sessions run: ``python -m keras_model_guide.tools.<name>``."""
