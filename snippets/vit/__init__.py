"""Chapter: Vision Transformer (ViT) / Görüntü transformer'ı (ViT)."""
