"""Chapter: Distributed training / Dağıtık eğitim."""
