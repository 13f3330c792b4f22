"""Chapter: torchvision at a glance / torchvision'a hızlı bakış."""
