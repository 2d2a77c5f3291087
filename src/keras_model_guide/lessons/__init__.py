"""Plain Keras 3 that the pages inline: each function is a lesson, not a library call."""
