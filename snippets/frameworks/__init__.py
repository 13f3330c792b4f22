"""Chapter: Frameworks, computational graphs and overfitting / Çerçeveler,
hesaplama çizgeleri ve aşırı uyum."""
