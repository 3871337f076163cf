"""The district's template for new role agreements."""
