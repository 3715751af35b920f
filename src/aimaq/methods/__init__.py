"""aimaq.methods."""
