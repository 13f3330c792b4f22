"""Chapter: Tensors / Tensörler."""
