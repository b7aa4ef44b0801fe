"""Е-кабінет освітнього управлінця: the Django project package (settings, URLs, ASGI)."""
