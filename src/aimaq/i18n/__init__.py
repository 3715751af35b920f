"""aimaq.i18n."""
