"""Chapter: Training a network well / Ağı iyi eğitmek."""
