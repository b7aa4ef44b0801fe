"""Conversations between institutions, along the lines the brief sets: a school with its РУО
and with ДОН, an РУО with ДОН and with other РУО. A conversation is private to its two sides."""
