"""Chapter: Installation / Kurulum."""
