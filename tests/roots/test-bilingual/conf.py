extensions = ["keras_model_guide.sphinxext.bilingual"]
html_baseurl = "https://example.org/guide/"
ogp_social_cards = {"enable": False}
