"""Chapter: Attention and the transformer / Dikkat mekanizması ve
transformer."""
