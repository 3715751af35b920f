"""aimaq.engine."""
