"""What the pages run but do not teach: figures and the post's own numbers."""
