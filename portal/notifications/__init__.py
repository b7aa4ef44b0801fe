"""Notifications: a PostgreSQL row per recipient first, then a live WebSocket event on commit."""
