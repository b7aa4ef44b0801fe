"""Circulars (інформування, розпорядчі листи): ДОН or an РУО writes to institutions, each of
which acknowledges or replies; the sender follows every institution's state live."""
