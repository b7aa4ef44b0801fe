"""Signals other apps listen to, so that institutions need not know about them."""

from django.dispatch import Signal

# Sent when an import moves a working institution to another status (liquidated, ...).
# kwargs: institution, old_status.
institution_closed = Signal()
