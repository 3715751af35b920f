"""aimaq.services."""
