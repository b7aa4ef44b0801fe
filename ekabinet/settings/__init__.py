"""Settings: `base` reads the environment; `production` and `test` adjust it."""
