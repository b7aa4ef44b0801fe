"""A cheaper hash for machine-generated one-time passwords only.

Django's default PBKDF2 (a million rounds) protects passwords people choose. A one-time
password here is 12 random characters from a 55-symbol alphabet (about 69 bits): guessing it
is infeasible at any hash cost, while a million rounds made provisioning 600 institutions
take three minutes (13,000 would take an hour). The person replaces it at the first login,
and their own password is hashed with the full-strength default.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_otp"
    iterations = 20_000
