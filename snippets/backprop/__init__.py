"""Chapter: Backpropagation / Geri yayılım."""
