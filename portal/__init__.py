"""The portal's domain: one Django app per capability (institutions, accounts, ...)."""
