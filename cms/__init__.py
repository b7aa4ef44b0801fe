"""Wagtail content: the regulatory base (Нормативна база), district orders, the archive and
ДОН's announcements, with editorial workflows, versions, attachments and the headless API."""
