"""Chapter: The PyTorch workflow / PyTorch iş akışı."""
