"""aimaq.store."""
