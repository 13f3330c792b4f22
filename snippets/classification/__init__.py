"""Chapter: Classification types and hyperparameters / Sınıflandırma türleri ve
hiperparametreler."""
