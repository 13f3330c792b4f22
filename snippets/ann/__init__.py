"""Chapter: An artificial neural network on handwritten digits / El yazısı
rakamlarda yapay sinir ağı."""
