"""aimaq.services.web."""
