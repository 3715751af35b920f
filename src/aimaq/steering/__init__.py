"""aimaq.steering."""
