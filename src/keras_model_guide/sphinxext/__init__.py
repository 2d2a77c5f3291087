"""The Sphinx extensions that build the guide's site (docs/conf.py lists them).

Each module is one extension; its docstring says what it does that no maintained package
does. Importing :mod:`keras_model_guide` never imports Sphinx: only these modules do.
"""
