extensions = ["keras_model_guide.sphinxext.html_output"]
pygments_style = "a11y-light"
