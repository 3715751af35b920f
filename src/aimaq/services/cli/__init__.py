"""aimaq.services.cli."""
