"""Chapter: Diffusion models / Difüzyon modelleri."""
