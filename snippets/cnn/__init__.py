"""Chapter: Convolutional Neural Networks, step by step / Evrişimli Sinir Ağları
(CNN) adım adım."""
