"""Chapter: Neural networks and activation functions / Sinir ağları ve
etkinleştirme fonksiyonları."""
